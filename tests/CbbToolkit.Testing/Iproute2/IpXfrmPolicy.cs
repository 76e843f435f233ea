namespace CbbToolkit.Testing.Iproute2;

/// <summary>A policy as <c>ip xfrm policy</c> prints it (with <c>-s</c> for the index).</summary>
/// <param name="Direction">As ip prints it: "in", "out", "fwd", or for a socket's own policy "socket in", "socket out".</param>
/// <param name="Action">"allow" or "block".</param>
/// <param name="Mark">"value/mask" in hex as ip prints it (<c>0x5/0xff</c>), or null.</param>
public sealed record IpXfrmPolicy(IpXfrmSelector Selector, string Direction, string Action, uint Index, uint Priority,
    string? Mark, uint? InterfaceId, ValueList<IpXfrmTemplate> Templates)
{
    /// <summary>True for a policy a socket holds (<c>setsockopt(IP_XFRM_POLICY)</c>): it shows while the socket is open.</summary>
    public bool IsSocketPolicy => Direction.StartsWith("socket ", StringComparison.Ordinal);
}
