using System.Net;
using System.Net.Sockets;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Lab.Tests.Latching;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// ipsec-sa-binding v1 from real kernels: two namespaces joined by veth hold one manually keyed ESP SA pair, a TCP
/// connection runs over it (the SAs count its bytes), and each end resolves the connection in its own kernel and hashes
/// the SA pair with keys read there (GETSA). Both ends get the same 32 octets; the test vectors of
/// docs/channel-bindings.md come out of the kernel; iproute2's view of the same SAs, hashed by the page's layout in
/// the test, agrees; other keys with the same SPIs, addresses and algorithms give another value.
/// </summary>
public sealed class ManualSaBindingTests
{
    private const int EchoBytes = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Both vectors of docs/channel-bindings.md, installed as written there, carrying a TCP echo.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DocumentVector_InstalledInBothKernels_BothEndsComputeIt(int vector)
    {
        KernelEsp.Require();
        var (family, spiX, spiY, expected) = vector == 1
            ? (AddressFamily.InterNetwork, 0x1001u, 0x2002u, "fd310b14f6c572d8236dec3db8f1ff9ab5d0d613406e9556e01169fa1e87685e")
            : (AddressFamily.InterNetworkV6, 0xc0ffee01u, 0x0badcafeu, "c226c2b5c32a8170fa2174427e61760b1732a946aa418855a89dc4bba49db6b6");
        using var hosts = new TwoHosts((h, self) => DocumentVectors.Commands(vector, h, self));
        var before = IpXfrm.Counters(hosts.A.Namespace);

        using var connection = await OpenConnection.OpenAsync(hosts, hosts.B.Address(family), Ct);
        await connection.ExchangeAsync(EchoBytes, Ct);
        var flow = BindingEnd.Of(connection.Client);
        var (channelA, a) = await BindingEnd.ConvertAsync(hosts.A.Namespace, flow, Ct);
        var (channelB, b) = await BindingEnd.ConvertAsync(hosts.B.Namespace, BindingEnd.Mirror(flow), Ct);

        // The connection really is on the vector's SAs: A sends on one, B on the other, and ESP counted the bytes.
        Assert.Equal((channelA.Outbound.Spi, channelA.Inbound.Spi), (channelB.Inbound.Spi, channelB.Outbound.Spi));
        Assert.Equal(new[] { spiX, spiY }.Order(), new[] { channelA.Outbound.Spi, channelA.Inbound.Spi }.Order());
        var after = IpXfrm.Counters(hosts.A.Namespace);
        var sent = after[channelA.Outbound.Spi].Bytes - before[channelA.Outbound.Spi].Bytes;
        Assert.True(sent >= EchoBytes, $"A's outbound SA counted {sent} bytes for {EchoBytes}");

        Assert.Equal(expected, Hex(BindingEnd.SaBinding(a)));
        Assert.Equal(expected, Hex(BindingEnd.SaBinding(b)));
        Assert.Equal(expected, Hex(IpXfrmSaBinding.Compute(hosts.A.Namespace, spiX, spiY)));
        // Manually keyed: no IKE, so no end-point value, and the reason says why.
        Assert.Equal(IpsecBindingAbsence.NoPeer, a.EndPoint!.Absence);
        Assert.Equal(IpsecBindingAbsence.NoPeer, b.EndPoint!.Absence);
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task RandomKeys_BothEndsEqual_AndEqualToIpReference_OtherKeysOtherValue(AddressFamily family)
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var (addressA, addressB) = (hosts.A.Address(family), hosts.B.Address(family));
        var pair = new KeyedSaPair(addressA, addressB);
        await pair.AddPoliciesAsync(hosts.A, addressA, Ct);
        await pair.AddPoliciesAsync(hosts.B, addressB, Ct);
        await pair.AddAsync([hosts.A, hosts.B], Ct);

        var first = await BothEndsAsync(hosts, addressB, pair);

        // Same SPIs, addresses, algorithms and key lengths; other keys (one octet of one key differs, then all).
        var keyAToB = new byte[20];
        var keyBToA = new byte[20];
        System.Security.Cryptography.RandomNumberGenerator.Fill(keyAToB);
        System.Security.Cryptography.RandomNumberGenerator.Fill(keyBToA);
        await pair.DeleteAsync([hosts.A, hosts.B], Ct);
        await pair.AddAsync([hosts.A, hosts.B], keyAToB, keyBToA, Ct);
        var second = await BothEndsAsync(hosts, addressB, pair);
        keyBToA[19] ^= 0x01;
        await pair.DeleteAsync([hosts.A, hosts.B], Ct);
        await pair.AddAsync([hosts.A, hosts.B], keyAToB, keyBToA, Ct);
        var third = await BothEndsAsync(hosts, addressB, pair);

        Assert.NotEqual(Hex(first), Hex(second));
        Assert.NotEqual(Hex(second), Hex(third));
        Assert.NotEqual(Hex(first), Hex(third));
    }

    // Opens a connection over the pair, checks both ends and iproute2 agree, returns the value.
    private static async Task<byte[]> BothEndsAsync(TwoHosts hosts, IPAddress b, KeyedSaPair pair)
    {
        var before = IpXfrm.Counters(hosts.B.Namespace);
        using var connection = await OpenConnection.OpenAsync(hosts, b, Ct);
        await connection.ExchangeAsync(EchoBytes, Ct);
        var received = IpXfrm.Counters(hosts.B.Namespace)[pair.SpiAToB].Bytes - before.GetValueOrDefault(pair.SpiAToB).Bytes;
        Assert.True(received >= EchoBytes, $"B's inbound SA counted {received} bytes for {EchoBytes}");

        var flow = BindingEnd.Of(connection.Client);
        var (_, a) = await BindingEnd.ConvertAsync(hosts.A.Namespace, flow, Ct);
        var (_, bEnd) = await BindingEnd.ConvertAsync(hosts.B.Namespace, BindingEnd.Mirror(flow), Ct);
        var valueA = BindingEnd.SaBinding(a);
        Assert.Equal(Hex(valueA), Hex(BindingEnd.SaBinding(bEnd)));
        Assert.Equal(Hex(valueA), Hex(IpXfrmSaBinding.Compute(hosts.A.Namespace, pair.SpiAToB, pair.SpiBToA)));
        Assert.Equal(Hex(valueA), Hex(IpXfrmSaBinding.Compute(hosts.B.Namespace, pair.SpiAToB, pair.SpiBToA)));
        return valueA;
    }

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}
