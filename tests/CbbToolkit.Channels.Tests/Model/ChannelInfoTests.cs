using System.Security.Authentication;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec;
using CsCheck;
using Xunit;

namespace CbbToolkit.Channels.Tests.Model;

public sealed class ChannelInfoTests
{
    // Boundary values of every value rule in docs/api.md's channel attribute table.
    [Theory]
    [InlineData(ChannelAttributeType.TlsVersion, "0303", true)]
    [InlineData(ChannelAttributeType.TlsVersion, "0304", true)]
    [InlineData(ChannelAttributeType.TlsVersion, "0302", false)]
    [InlineData(ChannelAttributeType.TlsVersion, "0403", false)]
    [InlineData(ChannelAttributeType.ExtendedMasterSecret, "00", true)]
    [InlineData(ChannelAttributeType.ExtendedMasterSecret, "01", true)]
    [InlineData(ChannelAttributeType.ExtendedMasterSecret, "02", false)]
    [InlineData(ChannelAttributeType.QopIndeterminate, "01", true)]
    [InlineData(ChannelAttributeType.QopIndeterminate, "ff", false)]
    [InlineData(ChannelAttributeType.Role, "01", true)]
    [InlineData(ChannelAttributeType.Role, "02", true)]
    [InlineData(ChannelAttributeType.Role, "00", false)]
    [InlineData(ChannelAttributeType.Role, "03", false)]
    [InlineData(ChannelAttributeType.IpsecPeerId, "4f3d6578616d706c65", true)]
    [InlineData(ChannelAttributeType.IpsecPeerId, "c3a9", true)]
    [InlineData(ChannelAttributeType.IpsecPeerId, "c080", false)] // overlong NUL
    [InlineData(ChannelAttributeType.IpsecPeerId, "eda080", false)] // UTF-16 surrogate
    [InlineData(ChannelAttributeType.IpsecAlgorithms, "ff", false)]
    [InlineData(ChannelAttributeType.IpsecAlgorithms, "c3", false)] // truncated sequence
    [InlineData(ChannelAttributeType.IpsecAuthenticationMethod, "00", true)]
    [InlineData(ChannelAttributeType.IpsecAuthenticationMethod, "0b", true)]
    [InlineData(ChannelAttributeType.IpsecAuthenticationMethod, "0c", false)]
    [InlineData(ChannelAttributeType.IpsecProtocol, "32", true)]
    [InlineData(ChannelAttributeType.IpsecProtocol, "33", true)]
    [InlineData(ChannelAttributeType.IpsecProtocol, "6c", true)]
    [InlineData(ChannelAttributeType.IpsecProtocol, "06", false)]
    [InlineData(ChannelAttributeType.IpsecMode, "01", true)]
    [InlineData(ChannelAttributeType.IpsecMode, "02", false)]
    [InlineData(ChannelAttributeType.IpsecOutboundSpi, "00000001", true)]
    [InlineData(ChannelAttributeType.IpsecOutboundSpi, "00000000", false)]
    [InlineData(ChannelAttributeType.IpsecInboundSpi, "00000000", false)]
    [InlineData(ChannelAttributeType.IpsecRequestId, "00000000", true)]
    [InlineData(ChannelAttributeType.LatchState, "01", true)]
    [InlineData(ChannelAttributeType.LatchState, "04", true)]
    [InlineData(ChannelAttributeType.LatchState, "00", false)]
    [InlineData(ChannelAttributeType.LatchState, "05", false)]
    [InlineData(ChannelAttributeType.PeerCertificate, "3000", true)] // empty SEQUENCE
    [InlineData(ChannelAttributeType.PeerCertificate, "30020400", true)]
    [InlineData(ChannelAttributeType.PeerCertificate, "3001", false)] // content missing
    [InlineData(ChannelAttributeType.PeerCertificate, "300000", false)] // trailing octet
    [InlineData(ChannelAttributeType.PeerCertificate, "0400", false)] // not a SEQUENCE
    [InlineData(ChannelAttributeType.LocalCertificate, "308100", false)] // non-minimal length: BER, not DER
    [InlineData(ChannelAttributeType.IpsecPeerPublicKey, "3080", false)] // indefinite length
    public void With_ValueRule_AcceptsOrRejects(ChannelAttributeType type, string hex, bool valid)
    {
        var value = Convert.FromHexString(hex);
        if (valid)
        {
            Assert.Equal(value, ChannelInfo.Empty.With(type, value).GetBytes(type));
        }
        else
        {
            Assert.ThrowsAny<ArgumentException>(() => ChannelInfo.Empty.With(type, value));
        }
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(-1L, true)]
    [InlineData(long.MinValue, false)]
    [InlineData(long.MaxValue, false)]
    public void With_CreatedAtOutsideDateTimeOffset_Rejected(long milliseconds, bool valid)
    {
        AssertCreatedAt(milliseconds, valid);
        AssertCreatedAt(DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), true);
        AssertCreatedAt(DateTimeOffset.MinValue.ToUnixTimeMilliseconds() - 1, false);
        AssertCreatedAt(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(), true);
        AssertCreatedAt(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() + 1, false);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(48, true)]
    [InlineData(64, true)]
    [InlineData(33, false)]
    [InlineData(40, false)]
    [InlineData(31, false)]
    [InlineData(65, false)]
    public void With_TlsServerEndPointLength_OnlyHashLengths(int length, bool valid)
    {
        var value = new byte[length];
        if (valid)
        {
            Assert.True(ChannelInfo.Empty.With(ChannelAttributeType.TlsServerEndPoint, value).Contains(ChannelAttributeType.TlsServerEndPoint));
        }
        else
        {
            Assert.ThrowsAny<ArgumentException>(() => ChannelInfo.Empty.With(ChannelAttributeType.TlsServerEndPoint, value));
        }
    }

    [Fact]
    public void With_WrongLength_EverySpecRejected() =>
        Gen.Int[0, ChannelAttributeSpec.All.Count - 1]
            .SelectMany(i => WrongLength(ChannelAttributeSpec.All[i]).Select(n => (ChannelAttributeSpec.All[i], n)))
            .Sample((spec, length) =>
            {
                var e = Assert.Throws<ArgumentException>(() => ChannelInfo.Empty.With(spec.Type, new byte[length]));
                Assert.Contains(spec.Name, e.Message, StringComparison.Ordinal);
            }, iter: 2000);

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(31)]
    [InlineData(46)]
    [InlineData(ushort.MaxValue)]
    public void With_UndefinedType_InvalidArgument(int type)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelInfo.Empty.With((ChannelAttributeType)type, [1]));
    }

    [Fact]
    public void With_EverySpecValidValue_RoundTripsAndKeepsOrder() =>
        ChannelInfoGen.Info.Sample(info =>
        {
            var types = info.AttributeTypes.ToArray();
            Assert.Equal(types.Order(), types);
            Assert.Equal(types.Length, info.Count);
            foreach (var t in types)
            {
                Assert.Equal(info.GetBytes(t), ChannelInfo.Empty.With(t, info.GetBytes(t)).GetBytes(t));
            }
        }, iter: 300);

    [Fact]
    public void With_ExistingType_ReplacesValue()
    {
        var info = ChannelInfo.Empty.With(ChannelAttributeType.Role, [1]).With(ChannelAttributeType.Role, [2]);
        Assert.Equal(1, info.Count);
        Assert.Equal(ChannelRole.Server, info.Role);
    }

    [Fact]
    public void With_CopiesTheCallersBuffer()
    {
        var exporter = new byte[32];
        var info = ChannelInfo.Empty.With(ChannelAttributeType.TlsExporter, exporter);
        exporter[0] = 1;
        Assert.Equal(0, info.Get(ChannelAttributeType.TlsExporter).Span[0]);
    }

    [Fact]
    public void Get_Absent_NotFound()
    {
        var e = Assert.Throws<IpsecException>(() => ChannelInfo.Empty.Get(ChannelAttributeType.TlsExporter));
        Assert.Equal(IpsecError.NotFound, e.Error);
        Assert.Null(ChannelInfo.Empty.GetBytes(ChannelAttributeType.TlsExporter));
    }

    [Fact]
    public void Without_RemovesOnlyThatType() =>
        ChannelInfoGen.Info.Where(i => i.Count > 0).Sample(info =>
        {
            var type = info.AttributeTypes.First();
            var less = info.Without(type);
            Assert.False(less.Contains(type));
            Assert.Equal(info.Count - 1, less.Count);
            Assert.Same(less, less.Without(type));
            Assert.True(less.With(type, info.GetBytes(type)).Equals(info));
        }, iter: 200);

    [Fact]
    public void Duplicate_EqualAndIndependent() =>
        ChannelInfoGen.Info.Sample(info =>
        {
            var copy = info.Duplicate();
            Assert.True(copy.Equals(info));
            Assert.Equal(info.GetHashCode(), copy.GetHashCode());
            foreach (var t in info.AttributeTypes)
            {
                Assert.False(info.Get(t).Span.Overlaps(copy.Get(t).Span));
            }
        }, iter: 200);

    // Equality against a plain reference comparison, on pairs that differ in at most one attribute (not timing).
    [Fact]
    public void Equals_MatchesReferenceComparison() =>
        Gen.Select(ChannelInfoGen.Info, Gen.Int[0, 3], Gen.Int.NonNegative)
            .Select((info, how, pick) => (info, Mutate(info, how, pick)))
            .Sample((a, b) =>
            {
                var expected = SameContent(a, b);
                Assert.Equal(expected, a.Equals(b));
                Assert.Equal(expected, b.Equals(a));
                Assert.Equal(expected, a.Equals((object)b));
                if (expected)
                {
                    Assert.Equal(a.GetHashCode(), b.GetHashCode());
                }

                foreach (var spec in ChannelAttributeSpec.All.Where(s => s.IsBindingValue))
                {
                    var same = a.GetBytes(spec.Type) is { } x && b.GetBytes(spec.Type) is { } y && x.SequenceEqual(y);
                    Assert.Equal(same, ChannelInfo.BindingEquals(a, b, spec.Type));
                }
            }, iter: 1000);

    [Fact]
    public void Equals_Null_False() => Assert.False(ChannelInfo.Empty.Equals(null));

    [Fact]
    public void ToString_NamesLengthsButNoValue() =>
        ChannelInfoGen.Full.Sample(info =>
        {
            var text = info.ToString();
            foreach (var spec in ChannelAttributeSpec.All)
            {
                Assert.Contains(spec.Name, text, StringComparison.Ordinal);
            }

            foreach (var spec in ChannelAttributeSpec.All.Where(s => s.IsBindingValue))
            {
                var value = info.GetBytes(spec.Type)!;
                Assert.DoesNotContain(Convert.ToHexStringLower(value), text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Convert.ToBase64String(value), text, StringComparison.Ordinal);
            }
        }, iter: 50);

    [Fact]
    public void TypedViews_ReadTheAttributes()
    {
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.TlsVersion, [0x03, 0x04])
            .With(ChannelAttributeType.TlsCipherSuite, [0x13, 0x02])
            .With(ChannelAttributeType.Role, [2])
            .With(ChannelAttributeType.ExtendedMasterSecret, [1])
            .With(ChannelAttributeType.CreatedAt, BitConverter.GetBytes(1_700_000_000_123L).Reverse().ToArray())
            .With(ChannelAttributeType.IpsecPeerId, "CN=peer, O=é"u8);
        Assert.Equal(SslProtocols.Tls13, info.TlsVersion);
        Assert.Equal(System.Net.Security.TlsCipherSuite.TLS_AES_256_GCM_SHA384, info.CipherSuite);
        Assert.Equal(ChannelRole.Server, info.Role);
        Assert.True(info.UsesExtendedMasterSecret);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123L), info.CreatedAt);
        Assert.Equal("CN=peer, O=é", info.IpsecPeerId);
        Assert.Null(ChannelInfo.Empty.TlsVersion);
    }

    /// <summary>A length the spec does not allow: shorter than its minimum or up to 64 octets longer than its maximum.</summary>
    internal static Gen<int> WrongLength(ChannelAttributeSpec spec) =>
        Gen.Bool.SelectMany(shorter => shorter && spec.MinLength > 0
            ? Gen.Int[0, spec.MinLength - 1]
            : Gen.Int[spec.MaxLength + 1, spec.MaxLength + 64]);

    private static void AssertCreatedAt(long milliseconds, bool valid)
    {
        var value = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(value, milliseconds);
        if (valid)
        {
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), ChannelInfo.Empty.With(ChannelAttributeType.CreatedAt, value).CreatedAt);
        }
        else
        {
            Assert.ThrowsAny<ArgumentException>(() => ChannelInfo.Empty.With(ChannelAttributeType.CreatedAt, value));
        }
    }

    internal static bool SameContent(ChannelInfo a, ChannelInfo b) =>
        a.AttributeTypes.SequenceEqual(b.AttributeTypes)
        && a.AttributeTypes.All(t => a.GetBytes(t)!.SequenceEqual(b.GetBytes(t)!));

    // how: 0 same instance, 1 flip one bit of one value, 2 drop one attribute, 3 a duplicate (equal, not same).
    private static ChannelInfo Mutate(ChannelInfo info, int how, int pick)
    {
        var types = info.AttributeTypes.ToArray();
        if (how == 0 || types.Length == 0)
        {
            return info;
        }

        var type = types[pick % types.Length];
        switch (how)
        {
            case 1:
                foreach (var candidate in types.Skip(pick % types.Length).Concat(types))
                {
                    var value = info.GetBytes(candidate)!;
                    for (var bit = 0; bit < value.Length * 8; bit++)
                    {
                        var changed = (byte[])value.Clone();
                        changed[bit / 8] ^= (byte)(1 << (bit % 8));
                        try
                        {
                            return info.With(candidate, changed);
                        }
                        catch (ArgumentException)
                        {
                            // that bit breaks a value rule; try the next one
                        }
                    }
                }

                return info.Without(type);
            case 2:
                return info.Without(type);
            default:
                return info.Duplicate();
        }
    }
}
