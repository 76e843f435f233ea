namespace CbbToolkit.Ipsec.Latching;

/// <summary>Connection latch states (RFC 5660 section 2.2).</summary>
public enum IpsecLatchState : byte
{
    /// <summary>A listener latch (a 3-tuple waiting for connections).</summary>
    Listener = 1,
    /// <summary>The connection is protected by SAs congruent with those it started with.</summary>
    Established = 2,
    /// <summary>An incongruent SA now covers the 5-tuple, or the SA went away: treat as packet loss.</summary>
    Broken = 3,
    /// <summary>Closed administratively: treat as reset by peer.</summary>
    Closed = 4,
}
