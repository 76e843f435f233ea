using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Policies;

public sealed class IpsecPolicyTests
{
    // Every 4-octet attribute, the values it defines, values it rejects, and how to read it back from the record.
    private static readonly (IpsecPolicyAttributeType Type, uint[] Valid, uint[] Invalid, Func<IpsecPolicy, uint> Read)[] s_attributes =
    [
        (IpsecPolicyAttributeType.BtnsStandalone, [0, 1], [2, 0x100, uint.MaxValue], p => p.IsBtnsStandalone ? 1u : 0u),
        (IpsecPolicyAttributeType.BtnsChannelBinding, [0, 1], [2, uint.MaxValue], p => p.RequireChannelBinding ? 1u : 0u),
        (IpsecPolicyAttributeType.PrivacyProtected, [0, 1, 2], [3, uint.MaxValue], p => (uint)p.PrivacyProtected),
        (IpsecPolicyAttributeType.IntegrityProtected, [0, 1, 2], [3, 0x8000_0000], p => (uint)p.IntegrityProtected),
        (IpsecPolicyAttributeType.TunnelMode, [0, 1], [2], p => p.UsesTunnelMode ? 1u : 0u),
        (IpsecPolicyAttributeType.CompressionAvailable, [0, 1], [2], p => p.IsCompressionAvailable ? 1u : 0u),
        (IpsecPolicyAttributeType.Level, [0, 1], [2, uint.MaxValue], p => (uint)p.Level),
        (IpsecPolicyAttributeType.RequestId, [0, 1, 0xffff, uint.MaxValue], [], p => p.RequestId),
        (IpsecPolicyAttributeType.Priority, [0, 1, uint.MaxValue], [], p => p.Priority),
        // Opaque to the IPsec layer: the converters above define the flags (the facade checks the TLS ones).
        (IpsecPolicyAttributeType.ChannelBindingTypes, [0, 1, 31, 64, 0x8000_0000, uint.MaxValue], [], p => p.ChannelBindings.Flags),
    ];

    public static TheoryData<IpsecPolicyAttributeType> FourOctetAttributes => [.. s_attributes.Select(a => a.Type)];

    [Theory]
    [MemberData(nameof(FourOctetAttributes))]
    public void WithAttribute_ValidValues_RoundTripThroughGetAndTheRecord(IpsecPolicyAttributeType type)
    {
        var (_, valid, _, read) = s_attributes.Single(a => a.Type == type);
        foreach (var v in valid)
        {
            var policy = IpsecPolicy.Default.WithAttribute(type, BitConverter.GetBytes(v));
            Assert.Equal(v, read(policy));
            Assert.Equal(BitConverter.GetBytes(v), policy.GetAttribute(type));
            Assert.Equal(v != BitConverter.ToUInt32(IpsecPolicy.Default.GetAttribute(type)), policy.HasAttribute(type));
        }
    }

    [Theory]
    [MemberData(nameof(FourOctetAttributes))]
    public void WithAttribute_UndefinedValue_ArgumentOutOfRangeNamingTheAttribute(IpsecPolicyAttributeType type)
    {
        foreach (var v in s_attributes.Single(a => a.Type == type).Invalid)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => IpsecPolicy.Default.WithAttribute(type, BitConverter.GetBytes(v)));
            Assert.Contains(type.ToString(), e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WithAttribute_WrongLength_ArgumentOutOfRange() =>
        Gen.Select(Gen.Int[0, s_attributes.Length - 1], Gen.Int[0, 300].Where(n => n != 4)).Sample((i, n) =>
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => IpsecPolicy.Default.WithAttribute(s_attributes[i].Type, new byte[n]));
            Assert.Contains("length", e.Message, StringComparison.Ordinal);
        }, iter: 1000);

    [Theory]
    [InlineData(0u)]
    [InlineData(12u)]
    [InlineData(0x8000_0000u)]
    [InlineData(uint.MaxValue)]
    public void UndefinedType_ArgumentOutOfRangeEverywhere(uint raw)
    {
        var type = (IpsecPolicyAttributeType)raw;
        Assert.ThrowsAny<ArgumentException>(() => IpsecPolicy.Default.WithAttribute(type, new byte[4]));
        Assert.ThrowsAny<ArgumentException>(() => IpsecPolicy.Default.GetAttribute(type));
        Assert.ThrowsAny<ArgumentException>(() => IpsecPolicy.Default.HasAttribute(type));
    }

    [Fact]
    public void Default_HasNoAttribute()
    {
        foreach (var type in Enum.GetValues<IpsecPolicyAttributeType>())
        {
            Assert.False(IpsecPolicy.Default.HasAttribute(type), type.ToString());
        }

        Assert.Equal(ChannelBindingSelection.All, IpsecPolicy.Default.ChannelBindings);
        Assert.Equal(IpsecPolicyType.Default, IpsecPolicy.Default.Type);
    }

    [Fact]
    public void PolicyName_Utf8RoundTripAndLimits()
    {
        var name = "pödgy/web"u8.ToArray();
        var policy = IpsecPolicy.Default.WithAttribute(IpsecPolicyAttributeType.PolicyName, name);
        Assert.Equal("pödgy/web", policy.PolicyName);
        Assert.Equal(name, policy.GetAttribute(IpsecPolicyAttributeType.PolicyName));
        Assert.True(policy.HasAttribute(IpsecPolicyAttributeType.PolicyName));
        Assert.Equal(255, IpsecPolicy.Default.WithAttribute(IpsecPolicyAttributeType.PolicyName, new byte[255].Select(_ => (byte)'a').ToArray()).PolicyName!.Length);

        Assert.Equal(IpsecError.NotFound, Assert.Throws<IpsecException>(() => IpsecPolicy.Default.GetAttribute(IpsecPolicyAttributeType.PolicyName)).Error);
        foreach (var bad in new byte[][] { [], new byte[256], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xff] })
        {
            Assert.ThrowsAny<ArgumentException>(() => IpsecPolicy.Default.WithAttribute(IpsecPolicyAttributeType.PolicyName, bad));
        }
    }

    // The record's init accessors enforce the same rules as the attribute API, so GetAttribute always round-trips.
    [Fact]
    public void Init_UndefinedValues_ArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => new IpsecPolicy { Level = (IpsecLevel)2 });
        Assert.ThrowsAny<ArgumentException>(() => new IpsecPolicy { PrivacyProtected = (ProtectionRequirement)3 });
        Assert.ThrowsAny<ArgumentException>(() => IpsecPolicy.Default with { IntegrityProtected = (ProtectionRequirement)9 });
        Assert.ThrowsAny<ArgumentException>(() => new IpsecPolicy { Type = (IpsecPolicyType)1 });
        Assert.ThrowsAny<ArgumentException>(() => new IpsecPolicy { PolicyName = "" });
        Assert.ThrowsAny<ArgumentException>(() => new IpsecPolicy { PolicyName = new string('é', 128) }); // 256 octets
        Assert.ThrowsAny<ArgumentException>(() => new IpsecPolicy { PolicyName = "a\ud800" });
        Assert.Null(new IpsecPolicy { PolicyName = null }.PolicyName);
    }

    [Fact]
    public void AnyValidPolicy_AttributesRoundTripThroughANewPolicy() =>
        s_genPolicy.Sample(policy =>
        {
            var rebuilt = IpsecPolicy.Default;
            foreach (var type in Enum.GetValues<IpsecPolicyAttributeType>().Where(policy.HasAttribute))
            {
                rebuilt = rebuilt.WithAttribute(type, policy.GetAttribute(type));
            }

            Assert.Equal(policy, rebuilt);
            Assert.Equal(policy.GetHashCode(), rebuilt.GetHashCode());
        }, iter: 500);

    [Fact]
    public void Equality_IsTheDraftsCmp_AndDuplicateIsEqual() =>
        Gen.Select(s_genPolicy, s_genPolicy).Sample((a, b) =>
        {
            var sameAttributes = Enum.GetValues<IpsecPolicyAttributeType>().All(t =>
                a.HasAttribute(t) == b.HasAttribute(t) && (!a.HasAttribute(t) || a.GetAttribute(t).SequenceEqual(b.GetAttribute(t))));
            Assert.Equal(sameAttributes, a == b);
            Assert.Equal(a, a.Duplicate());
            Assert.NotSame(a, a.Duplicate());
        }, iter: 500);

    [Fact]
    public void WithAttribute_LeavesTheOriginalUnchanged()
    {
        var original = new IpsecPolicy { RequestId = 7 };
        var changed = original.WithAttribute(IpsecPolicyAttributeType.RequestId, BitConverter.GetBytes(8u));
        Assert.Equal(7u, original.RequestId);
        Assert.Equal(8u, changed.RequestId);
        Assert.NotEqual(original, changed);
    }

    private static readonly Gen<IpsecPolicy> s_genPolicy =
        Gen.Select(Gen.Int[0, s_attributes.Length - 1].Array[0, 6], Gen.Int[0, 1000], Gen.Bool).Select((picks, seed, named) =>
        {
            var policy = named ? new IpsecPolicy { PolicyName = $"p{seed % 7}" } : IpsecPolicy.Default;
            foreach (var i in picks)
            {
                var valid = s_attributes[i].Valid;
                policy = policy.WithAttribute(s_attributes[i].Type, BitConverter.GetBytes(valid[(seed + i) % valid.Length]));
            }

            return policy;
        });
}
