using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel;

namespace CbbToolkit.Yarp.Tests.TestSupport;

/// <summary>
/// An IIpsecChannelFeature whose values a test sets: what src/Kestrel's connection middleware computes from the kernel in
/// production (that part has its own tests against real XFRM state). Upper-layer tests supply it per connection.
/// </summary>
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

    /// <summary>A connection no SA protects (loopback as it is).</summary>
    public static TestChannelFeature Clear() => new();

    /// <summary>A verified channel with a trusted IKE peer and ESP transport-mode attributes.</summary>
    public static TestChannelFeature Verified(string peerId, byte[]? publicKey = null) => new()
    {
        Status = IpsecChannelStatus.Verified,
        Reason = null,
        LatchState = IpsecLatchState.Established,
        Peer = new IpsecPeer { RemoteId = peerId, AuthenticationMethod = CbbToolkit.Ipsec.IpsecAuthenticationMethod.PkixTrusted, PublicKey = publicKey },
        ChannelInfo = ChannelInfo.Empty
            .With(ChannelAttributeType.IpsecProtocol, [50])
            .With(ChannelAttributeType.IpsecMode, [0])
            .With(ChannelAttributeType.IpsecInboundSpi, [0xc1, 0x00, 0x00, 0x01])
            .With(ChannelAttributeType.IpsecOutboundSpi, [0xc2, 0x00, 0x00, 0x02])
            .With(ChannelAttributeType.IpsecAlgorithms, "aes-gcm-128"u8),
    };
}
