using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.Latching;

/// <summary>
/// A manually keyed transport-mode ESP channel between hosts A and B of <see cref="TwoHosts"/>, set up with our own
/// <see cref="XfrmClient"/>: one SA per direction (installed on both hosts, random SPIs and AES-GCM keys) and host-pair
/// TCP policies with one reqid on each host. Further SA pairs (rekeys, rivals) are added the same way.
/// </summary>
internal sealed class EspChannel
{
    public const uint RequestId = 21;

    private EspChannel(TwoHosts hosts, AddressFamily family)
    {
        Hosts = hosts;
        A = hosts.A.Address(family);
        B = hosts.B.Address(family);
    }

    public TwoHosts Hosts { get; }

    public IPAddress A { get; }

    public IPAddress B { get; }

    public static async Task<(EspChannel Channel, uint SpiAToB, uint SpiBToA)> CreateAsync(TwoHosts hosts, AddressFamily family, CancellationToken ct)
    {
        var channel = new EspChannel(hosts, family);
        foreach (var (host, local, remote) in new[] { (hosts.A, channel.A, channel.B), (hosts.B, channel.B, channel.A) })
        {
            using var client = XfrmClient.Open(host.Namespace);
            await client.AddPolicyAsync(Policy(local, remote, XfrmPolicyDirection.Out), ct);
            await client.AddPolicyAsync(Policy(remote, local, XfrmPolicyDirection.In), ct);
        }

        var (ab, ba) = await channel.AddSaPairAsync(ct);
        return (channel, ab, ba);
    }

    /// <summary>Adds an SA for each direction (or A to B only) on both hosts; returns their SPIs (A to B, B to A).</summary>
    public async Task<(uint AToB, uint BToA)> AddSaPairAsync(CancellationToken ct, int keyBytes = 20, bool onlyAToB = false)
    {
        var (ab, ba) = (RandomSpi(), RandomSpi());
        var sas = onlyAToB ? new[] { Sa(A, B, ab, keyBytes) } : new[] { Sa(A, B, ab, keyBytes), Sa(B, A, ba, keyBytes) };
        foreach (var host in new[] { Hosts.A, Hosts.B })
        {
            using var client = XfrmClient.Open(host.Namespace);
            foreach (var sa in sas)
            {
                await client.AddStateAsync(sa, ct);
            }
        }

        return (ab, ba);
    }

    /// <summary>Deletes the SA with this SPI on both hosts.</summary>
    public async Task DeleteSaAsync(uint spi, IPAddress destination, CancellationToken ct, bool onlyOnA = false)
    {
        foreach (var host in onlyOnA ? new[] { Hosts.A } : new[] { Hosts.A, Hosts.B })
        {
            using var client = XfrmClient.Open(host.Namespace);
            await client.DeleteStateAsync(destination, spi, XfrmProtocol.Esp, ct);
        }
    }

    private static uint RandomSpi() => 0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4)) & 0xFFFFFF);

    private static XfrmState Sa(IPAddress source, IPAddress destination, uint spi, int keyBytes) => new()
    {
        Source = source,
        Destination = destination,
        Spi = spi,
        Mode = XfrmMode.Transport,
        RequestId = RequestId,
        Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(RandomNumberGenerator.GetBytes(keyBytes)), 128),
    };

    private static XfrmPolicy Policy(IPAddress source, IPAddress destination, XfrmPolicyDirection direction) => new()
    {
        Selector = XfrmSelector.Between(source, destination, ProtocolType.Tcp),
        Direction = direction,
        Templates = [new XfrmTemplate { Source = source, Destination = destination, Protocol = XfrmProtocol.Esp, Mode = XfrmMode.Transport, RequestId = RequestId }],
    };
}
