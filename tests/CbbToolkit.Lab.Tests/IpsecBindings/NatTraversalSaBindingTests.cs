using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// ipsec-sa-binding across a real address-translating router (<see cref="NatHosts"/>): one manually keyed ESP-in-UDP
/// SA pair (port 4500 both ways), which A holds as 10.1.0.1 &lt;-&gt; 10.2.0.1 and B, behind the translation, as
/// 10.2.0.254 &lt;-&gt; 10.2.0.1. A TCP echo runs over it. Both ends compute the same value, because v1 leaves the outer
/// addresses of encapsulated SAs out (docs/channel-bindings.md); iproute2's view hashed by the page's rule agrees on
/// each end; hashed with the addresses, as for plain ESP, the two views would differ.
/// </summary>
public sealed class NatTraversalSaBindingTests
{
    private const int EchoBytes = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EspInUdpThroughNat_EndsSeeOtherAddresses_SameValue()
    {
        KernelEsp.Require();
        using var nat = new NatHosts();
        var (spiAToB, spiBToA) = (KeyedSaPair.RandomSpi(), KeyedSaPair.RandomSpi());
        var (keyAToB, keyBToA) = (Hex(20), Hex(20));
        Install(nat.HostA, NatHosts.A, NatHosts.B, spiAToB, spiBToA, keyAToB, keyBToA);
        Install(nat.HostB, NatHosts.Translated, NatHosts.B, spiAToB, spiBToA, keyAToB, keyBToA);
        var before = IpXfrm.Counters(nat.HostB);

        using var listener = Open(nat.HostB);
        using var client = Open(nat.HostA);
        listener.Bind(new IPEndPoint(NatHosts.B, 0));
        listener.Listen();
        await TcpEcho.RunAsync(listener, client, (IPEndPoint)listener.LocalEndPoint!, EchoBytes);

        var received = IpXfrm.Counters(nat.HostB)[spiAToB].Bytes - before[spiAToB].Bytes;
        Assert.True(received >= EchoBytes, $"B's inbound ESP-in-UDP SA counted {received} bytes for {EchoBytes}");
        // The echo has ended (the sockets are shut down, the SAs stay): the 5-tuple as each end saw it.
        var server = (IPEndPoint)listener.LocalEndPoint!;
        var local = (IPEndPoint)client.LocalEndPoint!;
        var flowA = new IpsecFlow(local, server, ProtocolType.Tcp);
        var flowB = new IpsecFlow(server, new IPEndPoint(NatHosts.Translated, local.Port), ProtocolType.Tcp); // the NAT keeps ports
        var (channelA, a) = await BindingEnd.ConvertAsync(nat.HostA, flowA, Ct);
        var (channelB, b) = await BindingEnd.ConvertAsync(nat.HostB, flowB, Ct);

        Assert.NotNull(channelA.Outbound.Encapsulation);
        Assert.NotEqual(channelA.Outbound.Source, channelB.Inbound.Source); // the ends see other addresses for one SA
        var value = Convert.ToHexStringLower(BindingEnd.SaBinding(a));
        Assert.Equal(value, Convert.ToHexStringLower(BindingEnd.SaBinding(b)));
        Assert.Equal(value, Convert.ToHexStringLower(IpXfrmSaBinding.Compute(nat.HostA, spiAToB, spiBToA)));
        Assert.Equal(value, Convert.ToHexStringLower(IpXfrmSaBinding.Compute(nat.HostB, spiAToB, spiBToA)));
        Assert.NotEqual(
            Convert.ToHexStringLower(IpXfrmSaBinding.Compute(nat.HostA, spiAToB, spiBToA, withAddresses: true)),
            Convert.ToHexStringLower(IpXfrmSaBinding.Compute(nat.HostB, spiAToB, spiBToA, withAddresses: true)));
    }

    // The SA pair and TCP policies on one end; `a` is A's address as this end knows it. Keys on stdin.
    private static void Install(string ns, IPAddress a, IPAddress b, uint spiAToB, uint spiBToA, string keyAToB, string keyBToA)
    {
        var local = ns.StartsWith("cbb-na-", StringComparison.Ordinal) ? a : b;
        var remote = local.Equals(a) ? b : a;
        const string encap = "encap espinudp 4500 4500 0.0.0.0";
        TwoHosts.Ip(["-n", ns, "-batch", "-"],
            $"xfrm state add src {a} dst {b} proto esp spi 0x{spiAToB:x8} reqid 36 mode transport aead rfc4106(gcm(aes)) 0x{keyAToB} 128 {encap}\n" +
            $"xfrm state add src {b} dst {a} proto esp spi 0x{spiBToA:x8} reqid 36 mode transport aead rfc4106(gcm(aes)) 0x{keyBToA} 128 {encap}\n" +
            $"xfrm policy add src {local} dst {remote} proto tcp dir out tmpl src {local} dst {remote} proto esp reqid 36 mode transport\n" +
            $"xfrm policy add src {remote} dst {local} proto tcp dir in tmpl src {remote} dst {local} proto esp reqid 36 mode transport\n");
    }

    private static Socket Open(string ns) =>
        CbbToolkit.Ipsec.Namespaces.NetworkNamespace.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    private static string Hex(int octets) => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(octets));
}
