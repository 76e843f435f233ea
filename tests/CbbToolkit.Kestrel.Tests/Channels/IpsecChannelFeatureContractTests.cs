using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Channels;

public sealed class IpsecChannelFeatureContractTests
{
    [Theory]
    [InlineData(IpsecChannelStatus.Verified, true)]
    [InlineData(IpsecChannelStatus.NotChecked, false)]
    [InlineData(IpsecChannelStatus.NotProtected, false)]
    [InlineData(IpsecChannelStatus.PeerUnknown, false)]
    [InlineData(IpsecChannelStatus.PeerNotTrusted, false)]
    [InlineData(IpsecChannelStatus.NotLatched, false)]
    [InlineData(IpsecChannelStatus.Error, false)]
    public void IsVerified_OnlyForVerified(IpsecChannelStatus status, bool verified)
    {
        IIpsecChannelFeature feature = new Feature(status);

        Assert.Equal(verified, feature.IsVerified);
        Assert.Null(feature.Channel);
        Assert.Null(feature.Peer);
    }

    private sealed class Feature(IpsecChannelStatus status) : IIpsecChannelFeature
    {
        public IpsecChannelMode Mode => IpsecChannelMode.Permissive;
        public IpsecChannelResolution? Resolution => null;
        public IpsecChannelStatus Status => status;
        public string? Reason => null;
        public IpsecLatchHandle? Latch => null;
        public IpsecLatchState? LatchState => null;
        public ChannelInfo? ChannelInfo => null;
        public CancellationToken ChannelLost => CancellationToken.None;
    }
}
