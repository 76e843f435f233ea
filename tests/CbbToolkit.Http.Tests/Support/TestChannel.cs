using CbbToolkit.Channels;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel;

namespace CbbToolkit.Http.Tests.Support;

// The test seam for a channel on loopback, where no kernel holds an SA pair: what each end's IPsec layer would report
// for a NULL-authenticated, latched channel with an ipsec-sa-binding (both ends of one SA pair see the same value).
// The server end sets it as the connection's IIpsecChannelFeature (as tests/CbbToolkit.Kestrel.Tests do); the client
// end through IpsecChannelOptions.BindingChannelSource. The UML lab runs the same exchange over real ESP.
public sealed class TestChannel : IIpsecChannelFeature
{
    public IpsecChannelMode Mode => IpsecChannelMode.Permissive;
    public IpsecChannelResolution? Resolution => null;
    public IpsecChannel? Channel => null;
    public IpsecPeer? Peer { get; set; } = new() { RemoteId = "", AuthenticationMethod = IpsecAuthenticationMethod.Null };
    public IpsecChannelStatus Status { get; set; } = IpsecChannelStatus.PeerNotTrusted;
    public string? Reason { get; set; } = "NULL authentication";
    public IpsecLatchHandle? Latch => null;
    public IpsecLatchState? LatchState { get; set; } = IpsecLatchState.Established;
    public ChannelInfo? ChannelInfo { get; set; }
    public CancellationToken ChannelLost => CancellationToken.None;

    /// <summary>The server end of a latched channel whose SA pair hashes to <paramref name="saBinding"/>.</summary>
    public static TestChannel Server(byte[] saBinding) => new()
    {
        ChannelInfo = ChannelInfo.Empty.With(ChannelAttributeType.IpsecProtocol, [50]).With(ChannelAttributeType.IpsecSaBinding, saBinding),
    };

    /// <summary>The client end: the channel information the binding exchange reads (ipsec-sa-binding, latch ESTABLISHED).</summary>
    public static ChannelInfo Client(byte[] saBinding) =>
        ChannelInfo.Empty.With(ChannelAttributeType.IpsecSaBinding, saBinding).With(ChannelAttributeType.LatchState, [(byte)IpsecLatchState.Established]);
}
