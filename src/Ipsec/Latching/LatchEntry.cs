using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>A latch's mutable record; only touched under the database's lock.</summary>
internal sealed class LatchEntry
{
    public LatchEntry(IpsecLatchHandle handle, IpsecLatchState state, DateTimeOffset since)
    {
        Handle = handle;
        State = state;
        Since = since;
    }

    public IpsecLatchHandle Handle { get; }

    public IpsecLatchState State { get; set; }

    public DateTimeOffset Since { get; set; }

    public string? Reason { get; set; }

    public IpsecFlow? Flow { get; init; }

    public IPEndPoint? ListenerEndPoint { get; init; }

    public ProtocolType ListenerProtocol { get; init; }

    public IpsecQop? Qop { get; init; }

    public IpsecSocketPolicies? SocketPolicies { get; init; }

    /// <summary>The latched channel; its SPIs move with congruent rekeys.</summary>
    public IpsecChannel? Channel { get; set; }

    public IpsecPeer? Peer { get; set; }

    public string? PeerId { get; init; }

    public string? LocalId { get; init; }

    /// <summary>Bumped whenever a pending peer verification must be ignored.</summary>
    public int Generation { get; set; }

    /// <summary>The (outbound, inbound) SPIs whose peer is being verified, if any.</summary>
    public (uint Out, uint In)? Verifying { get; set; }

    /// <summary>A BROKEN verdict held back by the rekey grace period: since when (a TimeProvider timestamp), and why.</summary>
    public (long Since, string Reason)? Held { get; set; }

    public bool Released { get; set; }

    public IpsecLatchInfo ToInfo() => new()
    {
        Handle = Handle,
        State = State,
        Flow = Flow,
        ListenerEndPoint = ListenerEndPoint,
        ListenerProtocol = Flow is null ? ListenerProtocol : null,
        ListenerQop = Flow is null ? Qop : null,
        Parameters = Channel is null ? null : new IpsecLatchParameters
        {
            Channel = Channel,
            PeerId = PeerId,
            LocalId = LocalId,
            Peer = Peer,
            Qop = Qop,
        },
        Reason = Reason,
        Since = Since,
    };
}
