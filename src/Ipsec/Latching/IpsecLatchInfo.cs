using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>A latch as INQUIRE_LATCH reports it.</summary>
public sealed record IpsecLatchInfo
{
    /// <summary>The latch.</summary>
    public required IpsecLatchHandle Handle { get; init; }

    /// <summary>Listener, established, broken or closed.</summary>
    public required IpsecLatchState State { get; init; }

    /// <summary>The 5-tuple of a connection latch; null for a listener latch.</summary>
    public IpsecFlow? Flow { get; init; }

    /// <summary>The local address and port of a listener latch (any address for a wildcard listener); null for a connection latch.</summary>
    public IPEndPoint? ListenerEndPoint { get; init; }

    /// <summary>The listener latch's protocol.</summary>
    public ProtocolType? ListenerProtocol { get; init; }

    /// <summary>The latched parameters of a connection latch; null for a listener latch.</summary>
    public IpsecLatchParameters? Parameters { get; init; }

    /// <summary>The QoP a listener latch passes to the connections it accepts.</summary>
    public IpsecQop? ListenerQop { get; init; }

    /// <summary>Why the latch is broken or closed.</summary>
    public string? Reason { get; init; }

    /// <summary>When the latch entered its state.</summary>
    public DateTimeOffset Since { get; init; }
}
