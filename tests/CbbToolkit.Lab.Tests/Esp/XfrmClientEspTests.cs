using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.Esp;

/// <summary>
/// SAs and policies added by our own <see cref="XfrmClient"/> (netlink, no <c>ip</c>) carry a real ESP flow between two
/// namespaces; the counters our client dumps agree with what iproute2 reads from the same kernel.
/// </summary>
public sealed class XfrmClientEspTests
{
    private const int EchoBytes = 1024 * 1024;
    private const uint RequestId = 11;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task SasAndPoliciesFromXfrmClient_CarryEsp_CountersAgreeWithIp(AddressFamily family)
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var (a, b) = (hosts.A.Address(family), hosts.B.Address(family));
        var spis = RandomNumberGenerator.GetBytes(8);
        var spiAToB = 0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(spis) & 0xFFFFFF);
        var spiBToA = 0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(spis.AsSpan(4)) & 0xFFFFFF);
        var sas = new[] { Sa(a, b, spiAToB, new XfrmKey(RandomNumberGenerator.GetBytes(20))), Sa(b, a, spiBToA, new XfrmKey(RandomNumberGenerator.GetBytes(20))) };
        foreach (var (self, local, remote) in new[] { (hosts.A, a, b), (hosts.B, b, a) })
        {
            using var client = XfrmClient.Open(self.Namespace);
            foreach (var sa in sas)
            {
                await client.AddStateAsync(sa, Ct);
            }

            await client.AddPolicyAsync(Policy(local, remote, XfrmPolicyDirection.Out), Ct);
            await client.AddPolicyAsync(Policy(remote, local, XfrmPolicyDirection.In), Ct);
        }

        using (var listener = TcpEcho.Open(hosts.B, family))
        using (var client = TcpEcho.Open(hosts.A, family))
        {
            listener.Bind(new IPEndPoint(b, 0));
            listener.Listen();
            await TcpEcho.RunAsync(listener, client, (IPEndPoint)listener.LocalEndPoint!, EchoBytes);
        }

        foreach (var host in new[] { hosts.A, hosts.B })
        {
            // Read by ip, by our client, by ip again: a late ACK may still pass in between, so ours lies within.
            var before = IpXfrm.Counters(host.Namespace);
            using var xfrm = XfrmClient.Open(host.Namespace);
            var ours = await xfrm.ListStatesAsync(Ct);
            var after = IpXfrm.Counters(host.Namespace);
            foreach (var spi in new[] { spiAToB, spiBToA })
            {
                var current = Assert.Single(ours, s => s.Spi == spi).Current;
                Assert.True(current.Bytes >= EchoBytes, $"{host.Namespace} SA 0x{spi:x8} carried {current.Bytes} bytes, less than {EchoBytes}");
                Assert.InRange((long)current.Bytes, before[spi].Bytes, after[spi].Bytes);
                Assert.InRange((long)current.Packets, before[spi].Packets, after[spi].Packets);
            }
        }
    }

    private static XfrmState Sa(IPAddress source, IPAddress destination, uint spi, XfrmKey key) => new()
    {
        Source = source,
        Destination = destination,
        Spi = spi,
        Mode = XfrmMode.Transport,
        RequestId = RequestId,
        Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", key, 128),
    };

    private static XfrmPolicy Policy(IPAddress source, IPAddress destination, XfrmPolicyDirection direction) => new()
    {
        Selector = XfrmSelector.Between(source, destination, ProtocolType.Tcp),
        Direction = direction,
        Templates = [new XfrmTemplate { Source = source, Destination = destination, Protocol = XfrmProtocol.Esp, Mode = XfrmMode.Transport, RequestId = RequestId }],
    };
}
