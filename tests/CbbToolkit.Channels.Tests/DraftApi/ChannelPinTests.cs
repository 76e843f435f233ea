using System.Text;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using Xunit;

namespace CbbToolkit.Channels.Tests.DraftApi;

/// <summary>How a required channel (leap of faith) is checked against the current one.</summary>
public sealed class ChannelPinTests
{
    private static readonly ChannelInfo Current = ChannelInfo.Empty
        .With(ChannelAttributeType.IpsecPeerId, Encoding.UTF8.GetBytes("b.test"))
        .With(ChannelAttributeType.IpsecAuthenticationMethod, [(byte)IpsecAuthenticationMethod.RawPublicKey])
        .With(ChannelAttributeType.IpsecProtocol, [50])
        .With(ChannelAttributeType.IpsecOutboundSpi, [0xc0, 0, 0, 1]);

    [Fact]
    public void SamePeer_OtherSpis_Accepted()
    {
        var seenBefore = Current.With(ChannelAttributeType.IpsecOutboundSpi, [0xc0, 0, 0, 9]); // a rekey later
        Assert.Equal(IpsecError.None, ChannelPin.Check(seenBefore, Current, IpsecPeerStatus.Known));
    }

    [Theory]
    [InlineData(ChannelAttributeType.IpsecPeerId, new byte[] { (byte)'m' })]
    [InlineData(ChannelAttributeType.IpsecAuthenticationMethod, new byte[] { (byte)IpsecAuthenticationMethod.PresharedKey })]
    [InlineData(ChannelAttributeType.IpsecProtocol, new byte[] { 51 })]
    public void OneComparedAttributeDiffers_KeyRejected(ChannelAttributeType type, byte[] value) =>
        Assert.Equal(IpsecError.KeyRejected, ChannelPin.Check(Current.With(type, value), Current, IpsecPeerStatus.Known));

    [Theory]
    [InlineData(IpsecPeerStatus.Unreachable, IpsecError.ConnectionRefused)]
    [InlineData(IpsecPeerStatus.Unknown, IpsecError.KeyRejected)]
    [InlineData(IpsecPeerStatus.NotQueried, IpsecError.KeyRejected)]
    [InlineData(IpsecPeerStatus.Failed, IpsecError.KeyRejected)]
    public void PinnedPeerNobodyNamed_FailsClosed(IpsecPeerStatus status, IpsecError expected)
    {
        var withoutPeer = Current.Without(ChannelAttributeType.IpsecPeerId).Without(ChannelAttributeType.IpsecAuthenticationMethod);
        Assert.Equal(expected, ChannelPin.Check(Current, withoutPeer, status));
    }

    [Fact]
    public void PinnedBindingTheResolverDoesNotComputeYet_KeyRejected()
    {
        var pin = ChannelInfo.Empty.With(ChannelAttributeType.IpsecEndPointSha256, new byte[32]);
        Assert.True(ChannelPin.CanPin(pin));
        Assert.Equal(IpsecError.KeyRejected, ChannelPin.Check(pin, Current, IpsecPeerStatus.Known));
    }

    [Fact]
    public void OnlyChangingAttributes_CannotPin() =>
        Assert.False(ChannelPin.CanPin(ChannelInfo.Empty.With(ChannelAttributeType.IpsecOutboundSpi, [0, 0, 0, 1])));
}
