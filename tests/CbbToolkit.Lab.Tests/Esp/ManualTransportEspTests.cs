using System.Net;
using System.Net.Sockets;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.Esp;

/// <summary>Manually keyed transport-mode ESP between two network namespaces, proved by the kernel's SA counters.</summary>
public sealed class ManualTransportEspTests
{
    private const int EchoBytes = 1024 * 1024;
    private const uint RequestId = 7;

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task TcpEchoWithPolicies_CarriedByEsp(AddressFamily family)
    {
        KernelEsp.Require();
        var sas = new ManualEsp(family, RequestId, policies: true);
        using var hosts = new TwoHosts(sas.Commands);

        await EchoAsync(hosts, family);

        // Every byte went through the SA of its direction on both sides: the sender encrypted it, the receiver decrypted
        // it (an inbound SA counts only packets that passed authentication and replay checks).
        var a = IpXfrm.Counters(hosts.A.Namespace);
        var b = IpXfrm.Counters(hosts.B.Namespace);
        foreach (var (side, counters, spi) in new[]
                 {
                     ("A out", a, sas.SpiAToB), ("B in", b, sas.SpiAToB),
                     ("B out", b, sas.SpiBToA), ("A in", a, sas.SpiBToA),
                 })
        {
            Assert.True(counters[spi].Bytes >= EchoBytes, $"{side} SA 0x{spi:x8} carried {counters[spi].Bytes} bytes, less than {EchoBytes}");
        }
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task TcpEchoWithoutPolicy_SasStayUnused(AddressFamily family)
    {
        KernelEsp.Require();
        var sas = new ManualEsp(family, RequestId, policies: false);
        using var hosts = new TwoHosts(sas.Commands);

        await EchoAsync(hosts, family);

        foreach (var ns in new[] { hosts.A.Namespace, hosts.B.Namespace })
        {
            var counters = IpXfrm.Counters(ns);
            Assert.Equal(new IpXfrmCounters(0, 0), counters[sas.SpiAToB]);
            Assert.Equal(new IpXfrmCounters(0, 0), counters[sas.SpiBToA]);
        }
    }

    private static async Task EchoAsync(TwoHosts hosts, AddressFamily family)
    {
        using var listener = TcpEcho.Open(hosts.B, family);
        using var client = TcpEcho.Open(hosts.A, family);
        listener.Bind(new IPEndPoint(hosts.B.Address(family), 0));
        listener.Listen();
        await TcpEcho.RunAsync(listener, client, (IPEndPoint)listener.LocalEndPoint!, EchoBytes);
    }
}
