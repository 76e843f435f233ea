using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CsCheck;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;

namespace CbbToolkit.Channels.Tests.DraftApi;

public sealed partial class IpsecApiTests
{
    private const int EINVAL = (int)IpsecError.InvalidArgument;
    private const int ENOENT = (int)IpsecError.NotFound;

    // Every 4-octet policy attribute with the values it defines (docs/api.md, policy attribute table).
    private static readonly (uint Type, uint[] Valid, uint[] Invalid)[] s_policyValues =
    [
        (IPSEC_BTNS_STANDALONE, [0, 1], [2, uint.MaxValue]),
        (IPSEC_BTNS_CHANNEL_BINDING, [0, 1], [2, 0x100]),
        (IPSEC_PRIVACY_PROTECTED, [0, 1, 2], [3, uint.MaxValue]),
        (IPSEC_INTEGRITY_PROTECTED, [0, 1, 2], [3]),
        (IPSEC_TUNNEL_MODE, [0, 1], [2]),
        (IPSEC_COMPRESSION_AVAILABLE, [0, 1], [2]),
        (IPSEC_LEVEL, [0, 1], [2]),
        (IPSEC_REQID, [0, 1, 0x10000, uint.MaxValue], []),
        (IPSEC_PRIORITY, [0, 7, uint.MaxValue], []),
        (IPSEC_CHANNEL_BINDING_TYPES, [0, 1, 5, 0x1f], [0x20, 0x21, 0x8000_0000, uint.MaxValue]),
    ];

    [Fact]
    public void ipsec_create_policy_DefaultType_HoldsTheDefaultPolicy()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        Assert.NotNull(policy);
        Assert.False(policy.IsFreed);
        Assert.Equal(IpsecPolicy.Default, policy.Policy);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(uint.MaxValue)]
    public void ipsec_create_policy_UndefinedType_Null(uint type) => Assert.Null(ipsec_create_policy(type));

    [Fact]
    public void ipsec_free_policy_Twice_SecondIsEinval()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        Assert.Equal(0, ipsec_free_policy(policy));
        Assert.True(policy!.IsFreed);
        Assert.Equal(EINVAL, ipsec_free_policy(policy));
        Assert.Equal(EINVAL, ipsec_free_policy(null));
        Assert.Equal(IpsecError.InvalidArgument, Assert.Throws<IpsecException>(() => policy.Policy).Error);
    }

    [Fact]
    public void PolicyAttributes_SetThenGet_RoundTripInHostOrder()
    {
        foreach (var (type, valid, _) in s_policyValues)
        {
            foreach (var v in valid)
            {
                var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
                Assert.Equal(0, ipsec_set_policy_attr(policy, type, 4, BitConverter.GetBytes(v)));
                Assert.Equal(0, ipsec_get_policy_attr(policy, type, out var length, out var value));
                Assert.Equal(4u, length);
                Assert.Equal(v, BitConverter.ToUInt32(value));
                if (type != IPSEC_CHANNEL_BINDING_TYPES) // the facade reads the TLS flags out of the opaque selection
                {
                    Assert.Equal(policy.Policy.GetAttribute((IpsecPolicyAttributeType)type), value);
                }
            }
        }
    }

    [Fact]
    public void PolicyAttributes_BadValue_EinvalAndUnchanged()
    {
        foreach (var (type, _, invalid) in s_policyValues)
        {
            foreach (var v in invalid)
            {
                var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
                Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, type, 4, BitConverter.GetBytes(v)));
                Assert.Equal(IpsecPolicy.Default, policy.Policy);
            }
        }
    }

    [Fact]
    public void PolicyAttributes_WrongLength_Einval() =>
        Gen.Select(Gen.Int[0, s_policyValues.Length - 1], Gen.Int[0, 64].Where(n => n != 4)).Sample((i, n) =>
        {
            var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
            Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, s_policyValues[i].Type, (uint)n, new byte[n]));
            Assert.Equal(IpsecPolicy.Default, policy.Policy);
        }, iter: 500);

    [Fact]
    public void ipsec_set_policy_attr_LengthDisagreesWithBuffer_Einval()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, 4, new byte[8]));
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, 8, BitConverter.GetBytes(1u)));
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, 4, (byte[]?)null));
        Assert.False(policy.Policy.IsBtnsStandalone);
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, 4, BitConverter.GetBytes(1u).AsSpan()));
        Assert.True(policy.Policy.IsBtnsStandalone);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(12u)]
    [InlineData(uint.MaxValue)]
    public void PolicyAttributes_UndefinedType_Einval(uint type)
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, type, 4, new byte[4]));
        Assert.Equal(EINVAL, ipsec_get_policy_attr(policy, type, out var length, out var value));
        Assert.Equal(0u, length);
        Assert.Null(value);
    }

    [Fact]
    public void PolicyName_UnsetIsEnoentThenRoundTrips()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(ENOENT, ipsec_get_policy_attr(policy, IPSEC_POLICY_NAME, out var length, out var value));
        Assert.Equal(0u, length);
        Assert.Null(value);

        var name = "web-frontend é"u8.ToArray();
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_POLICY_NAME, (uint)name.Length, name));
        Assert.Equal(0, ipsec_get_policy_attr(policy, IPSEC_POLICY_NAME, out length, out value));
        Assert.Equal((uint)name.Length, length);
        Assert.Equal(name, value);
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_POLICY_NAME, 0, []));
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_POLICY_NAME, 2, [0xc3, 0x28]));
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_POLICY_NAME, 256, new byte[256]));
    }

    [Fact]
    public void FreedPolicy_EveryFunctionEinval()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        var other = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(0, ipsec_free_policy(policy));
        Assert.Equal(EINVAL, ipsec_get_policy_attr(policy, IPSEC_BTNS_STANDALONE, out _, out var value));
        Assert.Null(value);
        Assert.Equal(EINVAL, ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, 4, BitConverter.GetBytes(1u)));
        Assert.Equal(EINVAL, ipsec_cmp_policy(policy, other));
        Assert.Equal(EINVAL, ipsec_cmp_policy(other, policy));
        Assert.Equal(EINVAL, ipsec_dup_policy(policy, out var dup));
        Assert.Null(dup);
        Assert.Equal(EINVAL, ipsec_get_policy_attr(null, IPSEC_BTNS_STANDALONE, out _, out _));
        Assert.Equal(EINVAL, ipsec_set_policy_attr(null, IPSEC_BTNS_STANDALONE, 4, new byte[4]));
        Assert.Equal(EINVAL, ipsec_cmp_policy(null, null));
        Assert.Equal(EINVAL, ipsec_dup_policy(null, out _));
    }

    [Fact]
    public void ipsec_cmp_policy_ZeroWhenEqualOneWhenDifferent()
    {
        var a = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        var b = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(0, ipsec_cmp_policy(a, b));
        Assert.Equal(0, ipsec_cmp_policy(a, a));
        Assert.Equal(0, ipsec_set_policy_attr(a, IPSEC_BTNS_CHANNEL_BINDING, 4, BitConverter.GetBytes(1u)));
        Assert.Equal(1, ipsec_cmp_policy(a, b));
        Assert.Equal(0, ipsec_set_policy_attr(b, IPSEC_BTNS_CHANNEL_BINDING, 4, BitConverter.GetBytes(1u)));
        Assert.Equal(0, ipsec_cmp_policy(a, b));
    }

    [Fact]
    public void ipsec_dup_policy_EqualAndIndependent()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_REQID, 4, BitConverter.GetBytes(42u)));
        Assert.Equal(0, ipsec_dup_policy(policy, out var dup));
        Assert.NotNull(dup);
        Assert.NotSame(policy, dup);
        Assert.Equal(0, ipsec_cmp_policy(policy, dup));
        Assert.Equal(0, ipsec_set_policy_attr(dup, IPSEC_REQID, 4, BitConverter.GetBytes(43u)));
        Assert.Equal(42u, policy.Policy.RequestId);
        Assert.Equal(0, ipsec_free_policy(dup));
        Assert.False(policy.IsFreed);
    }

    // Draft Appendix A, Figure 14: `uint32_t on = 1; ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, sizeof(on), &on)`.
    [Fact]
    public void DraftFigure14_SetsStandAloneBtns()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        Assert.NotNull(policy);
        uint on = 1;
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, sizeof(uint), BitConverter.GetBytes(on)));
        Assert.True(policy.Policy.IsBtnsStandalone);
        Assert.Equal(0, ipsec_free_policy(policy));
    }

    [Fact]
    public void IpsecPolicyHandle_WrapsAnExistingPolicy()
    {
        var existing = new IpsecPolicy { UsesTunnelMode = true };
        var handle = new IpsecPolicyHandle(existing);
        Assert.Same(existing, handle.Policy);
        Assert.Equal(0, ipsec_get_policy_attr(handle, IPSEC_TUNNEL_MODE, out _, out var value));
        Assert.Equal(1u, BitConverter.ToUInt32(value));
        Assert.Throws<ArgumentNullException>(() => new IpsecPolicyHandle(null!));
    }
}
