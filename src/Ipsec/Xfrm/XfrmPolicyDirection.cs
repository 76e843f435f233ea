namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>The direction of a policy. Socket policies show up in dumps as <see cref="SocketIn"/>/<see cref="SocketOut"/>.</summary>
public enum XfrmPolicyDirection : byte
{
    /// <summary>Inbound traffic for this host.</summary>
    In = 0,
    /// <summary>Outbound traffic.</summary>
    Out = 1,
    /// <summary>Forwarded traffic.</summary>
    Forward = 2,
    /// <summary>A socket's inbound policy (XFRM_POLICY_MAX + in).</summary>
    SocketIn = 3,
    /// <summary>A socket's outbound policy (XFRM_POLICY_MAX + out).</summary>
    SocketOut = 4,
}
