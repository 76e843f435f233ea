using System.Buffers.Binary;
using System.Text;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using Xunit;

namespace CbbToolkit.Channels.Tests.DraftApi;

/// <summary>The resolver's channel as channel information: each IPsec attribute taken from the SA pair and the peer.</summary>
public sealed class IpsecChannelInfoConverterTests
{
    [Fact]
    public async Task FromChannel_AttributesAreTheSasAndThePeers_NeverTheKey()
    {
        var publicKey = EspModel.NewPublicKey();
        await using var cache = EspModel.Cache();
        var resolver = new IpsecChannelResolver(cache, new EspModel.KeyManager(EspModel.Peer("b.test", publicKey)));
        var channel = (await resolver.ResolveAsync(EspModel.Flow(), cancellationToken: TestContext.Current.CancellationToken)).GetChannelOrThrow();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

        var info = IpsecChannelInfoConverter.FromChannel(channel, at);

        Assert.Equal(50, info.Get(ChannelAttributeType.IpsecProtocol).Span[0]);
        Assert.Equal(0, info.Get(ChannelAttributeType.IpsecMode).Span[0]);
        Assert.Equal(EspModel.OutboundSpi, BinaryPrimitives.ReadUInt32BigEndian(info.Get(ChannelAttributeType.IpsecOutboundSpi).Span));
        Assert.Equal(EspModel.InboundSpi, BinaryPrimitives.ReadUInt32BigEndian(info.Get(ChannelAttributeType.IpsecInboundSpi).Span));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(info.Get(ChannelAttributeType.IpsecRequestId).Span));
        Assert.Equal("rfc4106(gcm(aes))", Encoding.UTF8.GetString(info.Get(ChannelAttributeType.IpsecAlgorithms).Span));
        Assert.Equal(channel.IsQopIndeterminate ? 1 : 0, info.Get(ChannelAttributeType.QopIndeterminate).Span[0]);
        Assert.Equal(at, info.CreatedAt);
        Assert.Equal("b.test", info.IpsecPeerId);
        Assert.Equal((byte)IpsecAuthenticationMethod.RawPublicKey, info.Get(ChannelAttributeType.IpsecAuthenticationMethod).Span[0]);
        Assert.Equal(publicKey, info.GetBytes(ChannelAttributeType.IpsecPeerPublicKey));
        Assert.DoesNotContain(info.AttributeTypes, t => info.Get(t).Span.IndexOf(EspModel.AeadKey.AsSpan(0, 8)) >= 0);
        Assert.Equal(info, ChannelInfo.Parse(info.ToBytes())); // every value obeys the attribute table
    }

    [Fact]
    public async Task FromChannel_PeerUnknown_NoPeerAttributes()
    {
        await using var cache = EspModel.Cache();
        var channel = new IpsecChannelResolver(cache).ResolveKernel(EspModel.Flow()).GetChannelOrThrow();

        var info = IpsecChannelInfoConverter.FromChannel(channel);

        Assert.False(info.Contains(ChannelAttributeType.IpsecPeerId));
        Assert.False(info.Contains(ChannelAttributeType.IpsecAuthenticationMethod));
        Assert.False(info.Contains(ChannelAttributeType.IpsecPeerPublicKey));
        Assert.True(info.Contains(ChannelAttributeType.IpsecOutboundSpi));
    }
}
