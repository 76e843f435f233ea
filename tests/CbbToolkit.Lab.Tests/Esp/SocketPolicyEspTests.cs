using System.Net;
using System.Net.Sockets;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.Esp;

/// <summary>Per-socket policies (IP_XFRM_POLICY / IPV6_XFRM_POLICY) on the client and the listening socket select ESP.</summary>
public sealed class SocketPolicyEspTests
{
    private const int EchoBytes = 1024 * 1024;
    private const uint RequestId = 9;

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task SocketPoliciesOnBothEnds_CarriedByEsp(AddressFamily family)
    {
        KernelEsp.Require();
        var sas = new ManualEsp(family, RequestId, policies: false);
        using var hosts = new TwoHosts(sas.Commands);

        await EchoAsync(hosts, family, withSocketPolicies: true);

        var a = IpXfrm.Counters(hosts.A.Namespace);
        var b = IpXfrm.Counters(hosts.B.Namespace);
        Assert.True(a[sas.SpiAToB].Bytes >= EchoBytes, $"A out carried {a[sas.SpiAToB].Bytes} bytes");
        Assert.True(b[sas.SpiAToB].Bytes >= EchoBytes, $"B in carried {b[sas.SpiAToB].Bytes} bytes");
        Assert.True(b[sas.SpiBToA].Bytes >= EchoBytes, $"B out carried {b[sas.SpiBToA].Bytes} bytes (accepted socket inherits the listener's policy)");
        Assert.True(a[sas.SpiBToA].Bytes >= EchoBytes, $"A in carried {a[sas.SpiBToA].Bytes} bytes");
        Assert.DoesNotContain(IpXfrm.Policies(hosts.A.Namespace), p => p.Direction == "out"); // no global policy did it
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task NoSocketPolicy_TrafficInClear(AddressFamily family)
    {
        KernelEsp.Require();
        var sas = new ManualEsp(family, RequestId, policies: false);
        using var hosts = new TwoHosts(sas.Commands);

        await EchoAsync(hosts, family, withSocketPolicies: false);

        foreach (var ns in new[] { hosts.A.Namespace, hosts.B.Namespace })
        {
            var counters = IpXfrm.Counters(ns);
            Assert.Equal(new IpXfrmCounters(0, 0), counters[sas.SpiAToB]);
            Assert.Equal(new IpXfrmCounters(0, 0), counters[sas.SpiBToA]);
        }
    }

    private static async Task EchoAsync(TwoHosts hosts, AddressFamily family, bool withSocketPolicies)
    {
        using var listener = TcpEcho.Open(hosts.B, family);
        using var client = TcpEcho.Open(hosts.A, family);
        if (withSocketPolicies)
        {
            foreach (var socket in new[] { listener, client })
            {
                SocketPolicyOption.RequireEsp(socket, SocketPolicyOption.DirOut, RequestId);
                SocketPolicyOption.RequireEsp(socket, SocketPolicyOption.DirIn, RequestId);
            }
        }

        listener.Bind(new IPEndPoint(hosts.B.Address(family), 0));
        listener.Listen();
        await TcpEcho.RunAsync(listener, client, (IPEndPoint)listener.LocalEndPoint!, EchoBytes);
    }
}
