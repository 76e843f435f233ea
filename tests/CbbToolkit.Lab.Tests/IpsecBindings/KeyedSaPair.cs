using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// A manually keyed transport-mode ESP SA pair between two lab hosts, added with our own <see cref="XfrmClient"/>:
/// AES-GCM (rfc4106, 160-bit key with salt, ICV 128) A to B and B to A, SPIs and keys chosen by the caller or at random,
/// and host-pair TCP policies requiring it. The keys stay in <see cref="XfrmKey"/>s; nothing prints them.
/// </summary>
internal sealed class KeyedSaPair
{
    public const uint RequestId = 33;

    public KeyedSaPair(IPAddress a, IPAddress b, uint? spiAToB = null, uint? spiBToA = null)
    {
        A = a;
        B = b;
        SpiAToB = spiAToB ?? RandomSpi();
        SpiBToA = spiBToA ?? RandomSpi();
    }

    public IPAddress A { get; }

    public IPAddress B { get; }

    public uint SpiAToB { get; }

    public uint SpiBToA { get; }

    /// <summary>Adds the pair with fresh random keys to every host in <paramref name="hosts"/> (both get the same keys).</summary>
    public Task AddAsync(IEnumerable<LabHost> hosts, CancellationToken ct) =>
        AddAsync(hosts, RandomNumberGenerator.GetBytes(20), RandomNumberGenerator.GetBytes(20), ct);

    /// <summary>Adds the pair with the given keys (20 octets each) to every host in <paramref name="hosts"/>.</summary>
    public async Task AddAsync(IEnumerable<LabHost> hosts, byte[] keyAToB, byte[] keyBToA, CancellationToken ct)
    {
        foreach (var host in hosts)
        {
            using var client = XfrmClient.Open(host.Namespace);
            await client.AddStateAsync(Sa(A, B, SpiAToB, keyAToB), ct);
            await client.AddStateAsync(Sa(B, A, SpiBToA, keyBToA), ct);
        }
    }

    /// <summary>Deletes both SAs on every host in <paramref name="hosts"/>.</summary>
    public async Task DeleteAsync(IEnumerable<LabHost> hosts, CancellationToken ct)
    {
        foreach (var host in hosts)
        {
            using var client = XfrmClient.Open(host.Namespace);
            await client.DeleteStateAsync(B, SpiAToB, XfrmProtocol.Esp, ct);
            await client.DeleteStateAsync(A, SpiBToA, XfrmProtocol.Esp, ct);
        }
    }

    /// <summary>Adds the TCP policies that require the pair: on <paramref name="host"/>, whose address is <paramref name="local"/>.</summary>
    public async Task AddPoliciesAsync(LabHost host, IPAddress local, CancellationToken ct)
    {
        var remote = local.Equals(A) ? B : A;
        using var client = XfrmClient.Open(host.Namespace);
        await client.AddPolicyAsync(Policy(local, remote, XfrmPolicyDirection.Out), ct);
        await client.AddPolicyAsync(Policy(remote, local, XfrmPolicyDirection.In), ct);
    }

    public static uint RandomSpi() => 0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4)) & 0xFFFFFF);

    private static XfrmState Sa(IPAddress source, IPAddress destination, uint spi, byte[] key) => new()
    {
        Source = source,
        Destination = destination,
        Spi = spi,
        Mode = XfrmMode.Transport,
        RequestId = RequestId,
        Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(key), 128),
    };

    private static XfrmPolicy Policy(IPAddress source, IPAddress destination, XfrmPolicyDirection direction) => new()
    {
        Selector = XfrmSelector.Between(source, destination, ProtocolType.Tcp),
        Direction = direction,
        Templates = [new XfrmTemplate { Source = source, Destination = destination, Protocol = XfrmProtocol.Esp, Mode = XfrmMode.Transport, RequestId = RequestId }],
    };
}
