using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Kestrel.Tests.TestSupport;

/// <summary>An IIpsecChannelFeature whose values a test sets (what kcore's middleware computes from the kernel in production).</summary>
public sealed class TestChannelFeature : IIpsecChannelFeature
{
    public IpsecChannelMode Mode { get; set; } = IpsecChannelMode.Permissive;
    public IpsecChannelResolution? Resolution => null;
    public IpsecChannel? Channel => null;
    public IpsecPeer? Peer { get; set; }
    public IpsecChannelStatus Status { get; set; } = IpsecChannelStatus.NotProtected;
    public string? Reason { get; set; } = "test";
    public IpsecLatchHandle? Latch => null;
    public IpsecLatchState? LatchState { get; set; }
    public ChannelInfo? ChannelInfo { get; set; }
    public CancellationToken ChannelLost => CancellationToken.None;

    /// <summary>A verified channel with a trusted IKE peer.</summary>
    public static TestChannelFeature Verified(string peerId = "client.example.net", CbbToolkit.Ipsec.IpsecAuthenticationMethod method = CbbToolkit.Ipsec.IpsecAuthenticationMethod.PkixTrusted) => new()
    {
        Status = IpsecChannelStatus.Verified,
        Reason = null,
        LatchState = IpsecLatchState.Established,
        Peer = new IpsecPeer { RemoteId = peerId, AuthenticationMethod = method },
        ChannelInfo = ChannelInfo.Empty.With(ChannelAttributeType.IpsecProtocol, [50]).With(ChannelAttributeType.QopIndeterminate, [0]),
    };

    /// <summary>A channel IKE did not authenticate (NULL auth), latched, with an ipsec-sa-binding: what a binding can verify.</summary>
    public static TestChannelFeature Unauthenticated(ReadOnlySpan<byte> saBinding) => new()
    {
        Status = IpsecChannelStatus.PeerNotTrusted,
        Reason = "NULL authentication",
        LatchState = IpsecLatchState.Established,
        Peer = new IpsecPeer { RemoteId = "", AuthenticationMethod = CbbToolkit.Ipsec.IpsecAuthenticationMethod.Null },
        ChannelInfo = ChannelInfo.Empty.With(ChannelAttributeType.IpsecProtocol, [50]).With(ChannelAttributeType.IpsecSaBinding, saBinding),
    };
}
