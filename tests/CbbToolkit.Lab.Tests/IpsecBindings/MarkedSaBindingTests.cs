using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// XFRM marks and ipsec-sa-binding. The resolver takes a flow as unmarked, so it resolves only to SAs unmarked traffic
/// uses (mark value 0, any mask), and the key read (GETSA without XFRMA_MARK, looked up by the kernel with mark 0) finds
/// exactly those: with a marked twin of the same (destination, SPI, protocol) holding other keys in A's kernel, A reads the
/// SA its traffic uses and agrees with B, which holds no twin. SAs only marked traffic uses give no channel, so no value.
/// </summary>
public sealed class MarkedSaBindingTests
{
    private const string Key1 = "000102030405060708090a0b0c0d0e0f10111213";
    private const string Key2 = "202122232425262728292a2b2c2d2e2f30313233";
    private const string OtherKey = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00010203";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MarkedTwinWithOtherKeys_TheUnmarkedTrafficsSaIsRead_BothEndsAgree()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts((h, self) =>
            (self == h.A ? Sas(h, "mark 0x5 mask 0xff", OtherKey, OtherKey) : string.Empty) // first: a twin the kernel accepts
            + Sas(h, "mark 0x0 mask 0xffffffff", Key1, Key2) + Policies(h, self));

        var (a, b) = await BothAsync(hosts);

        Assert.Equal(Convert.ToHexStringLower(b), Convert.ToHexStringLower(a));
        Assert.Equal(Convert.ToHexStringLower(IpXfrmSaBinding.Compute(hosts.B.Namespace, 0x4001, 0x4002)), Convert.ToHexStringLower(a));
    }

    [Fact]
    public async Task OnlyMarkedSas_NoChannel_SoNoValue()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts((h, self) => Sas(h, "mark 0x5 mask 0xff", Key1, Key2) + Policies(h, self));
        using var xfrm = CbbToolkit.Ipsec.Xfrm.XfrmClient.Open(hosts.A.Namespace);

        var resolution = await IpsecChannelResolver.ResolveOnceAsync(xfrm, Flow(hosts), cancellationToken: Ct);

        Assert.Null(resolution.Channel);
        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, resolution.Reason);
    }

    private static async Task<(byte[] A, byte[] B)> BothAsync(TwoHosts hosts)
    {
        var (_, a) = await BindingEnd.ConvertAsync(hosts.A.Namespace, Flow(hosts), Ct);
        var (_, b) = await BindingEnd.ConvertAsync(hosts.B.Namespace, BindingEnd.Mirror(Flow(hosts)), Ct);
        return (BindingEnd.SaBinding(a), BindingEnd.SaBinding(b));
    }

    private static IpsecFlow Flow(TwoHosts hosts) =>
        new(new IPEndPoint(hosts.A.Address4, 40000), new IPEndPoint(hosts.B.Address4, 443), ProtocolType.Tcp);

    private static string Sas(TwoHosts h, string mark, string keyAToB, string keyBToA) =>
        $"xfrm state add src {h.A.Address4} dst {h.B.Address4} proto esp spi 0x4001 reqid 37 mode transport {mark} aead rfc4106(gcm(aes)) 0x{keyAToB} 128\n" +
        $"xfrm state add src {h.B.Address4} dst {h.A.Address4} proto esp spi 0x4002 reqid 37 mode transport {mark} aead rfc4106(gcm(aes)) 0x{keyBToA} 128\n";

    private static string Policies(TwoHosts h, LabHost self)
    {
        var (local, remote) = self == h.A ? (h.A.Address4, h.B.Address4) : (h.B.Address4, h.A.Address4);
        return $"xfrm policy add src {local} dst {remote} proto tcp dir out tmpl proto esp reqid 37 mode transport\n" +
               $"xfrm policy add src {remote} dst {local} proto tcp dir in tmpl proto esp reqid 37 mode transport\n";
    }
}
