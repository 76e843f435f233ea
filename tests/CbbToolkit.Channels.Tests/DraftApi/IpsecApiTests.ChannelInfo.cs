using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Channels.Tests.Model;
using CbbToolkit.Ipsec;
using CsCheck;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;

namespace CbbToolkit.Channels.Tests.DraftApi;

public sealed partial class IpsecApiTests
{
    [Fact]
    public void ipsec_create_channel_info_Empty()
    {
        var ci = ipsec_create_channel_info();
        Assert.NotNull(ci);
        Assert.False(ci.IsFreed);
        Assert.Equal(0, ci.ChannelInfo.Count);
    }

    [Fact]
    public void ChannelAttributes_SetThenGet_RoundTripEverySpec() =>
        ChannelInfoGen.Full.Sample(source =>
        {
            var ci = NewChannelInfo();
            foreach (var spec in ChannelAttributeSpec.All)
            {
                var value = source.GetBytes(spec.Type)!;
                Assert.Equal(0, ipsec_set_channel_attr(ci, (uint)spec.Type, (uint)value.Length, value));
            }

            foreach (var spec in ChannelAttributeSpec.All)
            {
                Assert.Equal(0, ipsec_get_channel_attr(ci, (uint)spec.Type, out var length, out var value));
                Assert.Equal(source.GetBytes(spec.Type), value);
                Assert.Equal((uint)value!.Length, length);
            }

            Assert.True(ci.ChannelInfo.Equals(source));
        }, iter: 50);

    [Fact]
    public void ipsec_get_channel_attr_Absent_Enoent()
    {
        var ci = NewChannelInfo();
        Assert.Equal(ENOENT, ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, out var length, out var value));
        Assert.Equal(0u, length);
        Assert.Null(value);
    }

    // 65537 must not wrap around to type 1 (tls-version) on the way to the 16-bit type.
    [Theory]
    [InlineData(0u)]
    [InlineData(13u)]
    [InlineData(31u)]
    [InlineData(46u)]
    [InlineData(65537u)]
    [InlineData(uint.MaxValue)]
    public void ChannelAttributes_UndefinedType_Einval(uint type)
    {
        var ci = NewChannelInfo();
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, type, 2, [0x03, 0x04]));
        Assert.Equal(0, ci.ChannelInfo.Count);
        var withVersion = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.TlsVersion, [0x03, 0x04]));
        Assert.Equal(EINVAL, ipsec_get_channel_attr(withVersion, type, out var length, out var value));
        Assert.Equal(0u, length);
        Assert.Null(value);
    }

    [Fact]
    public void ipsec_set_channel_attr_WrongLength_EverySpecEinvalAndUnchanged() =>
        Gen.Int[0, ChannelAttributeSpec.All.Count - 1]
            .SelectMany(i => ChannelInfoTests.WrongLength(ChannelAttributeSpec.All[i]).Select(n => (ChannelAttributeSpec.All[i], n)))
            .Sample((spec, length) =>
            {
                var ci = NewChannelInfo();
                Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, (uint)spec.Type, (uint)length, new byte[length]));
                Assert.Equal(0, ci.ChannelInfo.Count);
            }, iter: 1000);

    [Fact]
    public void ipsec_set_channel_attr_BadValue_EinvalAndUnchanged()
    {
        var ci = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.Role, [1]));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, [3]));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_TLS_VERSION, 2, [0x03, 0x01]));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_IPSEC_PEER_ID, 1, [0xff]));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_PEER_CERTIFICATE, 2, [0x04, 0x00]));
        Assert.Equal(ChannelRole.Client, ci.ChannelInfo.Role);
        Assert.Equal(1, ci.ChannelInfo.Count);
    }

    [Fact]
    public void ipsec_set_channel_attr_LengthDisagreesWithBuffer_Einval()
    {
        var ci = NewChannelInfo();
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 2, [1]));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, [1, 2]));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, (byte[]?)null));
        Assert.Equal(0, ci.ChannelInfo.Count);
        Assert.Equal(0, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, stackalloc byte[] { 2 }));
        Assert.Equal(ChannelRole.Server, ci.ChannelInfo.Role);
    }

    [Fact]
    public void ipsec_set_channel_attr_SameType_Replaces()
    {
        var ci = NewChannelInfo();
        Assert.Equal(0, ipsec_set_channel_attr(ci, IPSEC_CI_LATCH_STATE, 1, [2]));
        Assert.Equal(0, ipsec_set_channel_attr(ci, IPSEC_CI_LATCH_STATE, 1, [3]));
        Assert.Equal(0, ipsec_get_channel_attr(ci, IPSEC_CI_LATCH_STATE, out _, out var value));
        Assert.Equal([3], value);
        Assert.Equal(1, ci.ChannelInfo.Count);
    }

    [Fact]
    public void ipsec_get_channel_attr_ReturnsACopy()
    {
        var ci = NewChannelInfo();
        Assert.Equal(0, ipsec_set_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, 32, new byte[32]));
        Assert.Equal(0, ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, out _, out var value));
        value![0] = 0xff;
        Assert.Equal(0, ci.ChannelInfo.Get(ChannelAttributeType.TlsExporter).Span[0]);
    }

    [Fact]
    public void ipsec_cmp_channel_info_ZeroWhenEqualOneWhenDifferent() =>
        Gen.Select(ChannelInfoGen.Info, ChannelInfoGen.Info).Sample((x, y) =>
        {
            var a = new ChannelInfoHandle(x);
            Assert.Equal(0, ipsec_cmp_channel_info(a, a));
            Assert.Equal(0, ipsec_cmp_channel_info(a, new ChannelInfoHandle(x.Duplicate())));
            var sameContent = ChannelInfoTests.SameContent(x, y);
            Assert.Equal(sameContent ? 0 : 1, ipsec_cmp_channel_info(a, new ChannelInfoHandle(y)));
        }, iter: 300);

    [Fact]
    public void ipsec_dup_channel_info_EqualAndIndependent()
    {
        var ci = NewChannelInfo();
        Assert.Equal(0, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, [1]));
        Assert.Equal(0, ipsec_dup_channel_info(ci, out var dup));
        Assert.NotNull(dup);
        Assert.Equal(0, ipsec_cmp_channel_info(ci, dup));
        Assert.Equal(0, ipsec_set_channel_attr(dup, IPSEC_CI_ROLE, 1, [2]));
        Assert.Equal(1, ipsec_cmp_channel_info(ci, dup));
        Assert.Equal(ChannelRole.Client, ci.ChannelInfo.Role);
        Assert.Equal(0, ipsec_free_channel_info(dup));
        Assert.False(ci.IsFreed);
    }

    [Fact]
    public void FreedChannelInfo_EveryFunctionEinval()
    {
        var ci = NewChannelInfo();
        var other = NewChannelInfo();
        Assert.Equal(0, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, [1]));
        Assert.Equal(0, ipsec_free_channel_info(ci));
        Assert.True(ci.IsFreed);
        Assert.Equal(IpsecError.InvalidArgument, Assert.Throws<IpsecException>(() => ci.ChannelInfo).Error);
        Assert.Equal(EINVAL, ipsec_free_channel_info(ci));
        Assert.Equal(EINVAL, ipsec_get_channel_attr(ci, IPSEC_CI_ROLE, out var length, out var value));
        Assert.Equal(0u, length);
        Assert.Null(value);
        Assert.Equal(EINVAL, ipsec_set_channel_attr(ci, IPSEC_CI_ROLE, 1, [2]));
        Assert.Equal(EINVAL, ipsec_cmp_channel_info(ci, other));
        Assert.Equal(EINVAL, ipsec_cmp_channel_info(other, ci));
        Assert.Equal(EINVAL, ipsec_dup_channel_info(ci, out var dup));
        Assert.Null(dup);
        Assert.Equal(EINVAL, ipsec_free_channel_info(null));
        Assert.Equal(EINVAL, ipsec_get_channel_attr(null, IPSEC_CI_ROLE, out _, out _));
        Assert.Equal(EINVAL, ipsec_set_channel_attr(null, IPSEC_CI_ROLE, 1, [1]));
        Assert.Equal(EINVAL, ipsec_cmp_channel_info(null, other));
        Assert.Equal(EINVAL, ipsec_dup_channel_info(null, out _));
        Assert.Equal("ChannelInfoHandle { freed }", ci.ToString());
    }

    [Fact]
    public void ChannelInfoHandle_WrapsExistingInfo()
    {
        var info = ChannelInfo.Empty.With(ChannelAttributeType.QopIndeterminate, [1]);
        var handle = new ChannelInfoHandle(info);
        Assert.Same(info, handle.ChannelInfo);
        Assert.Equal(0, ipsec_get_channel_attr(handle, IPSEC_CI_QOP_INDETERMINATE, out _, out var value));
        Assert.Equal([1], value);
        Assert.Throws<ArgumentNullException>(() => new ChannelInfoHandle(null!));
    }

    // Concurrent set calls on one handle: each lands (no lost update), none throws.
    [Fact]
    public void ipsec_set_channel_attr_Concurrent_NoLostUpdate()
    {
        var ci = NewChannelInfo();
        var types = new[] { IPSEC_CI_ROLE, IPSEC_CI_LATCH_STATE, IPSEC_CI_IPSEC_MODE, IPSEC_CI_QOP_INDETERMINATE, IPSEC_CI_EXTENDED_MASTER_SECRET, IPSEC_CI_IPSEC_AUTH_METHOD };
        Parallel.For(0, 600, i => Assert.Equal(0, ipsec_set_channel_attr(ci, types[i % types.Length], 1, [1])));
        Assert.Equal(types.Length, ci.ChannelInfo.Count);
    }

    private static ChannelInfoHandle NewChannelInfo()
    {
        var ci = ipsec_create_channel_info();
        Assert.NotNull(ci);
        return ci;
    }
}
