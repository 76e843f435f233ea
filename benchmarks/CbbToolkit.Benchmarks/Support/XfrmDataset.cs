using System.Buffers.Binary;
using System.Net;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>
/// The SAs and policies of benchmarks/capture/xfrm-batch.py as model objects: peer i is
/// 10.{(i>>8)&amp;255}.{i&amp;255}.{1+(i>>16)}, this host 172.16.0.1; per peer an out and an in transport-mode ESP SA
/// (AES-GCM-128, reqid i+1, replay window 32, soft/hard lifetime 3300/3600 s, host-pair selector) and an out and an in
/// policy (priority 1000, one ESP template with the same reqid).
/// </summary>
internal static class XfrmDataset
{
    public static readonly IPAddress Local = IPAddress.Parse("172.16.0.1");

    public static IPAddress Peer(int i) => new([10, (byte)(i >> 8), (byte)i, (byte)(1 + (i >> 16))]);

    public static uint OutboundSpi(int i) => 0xC0000000u + (2u * (uint)i);

    public static IReadOnlyList<XfrmState> States(int count)
    {
        var states = new List<XfrmState>(count);
        for (var i = 0; i < count / 2; i++)
        {
            states.Add(State(Local, Peer(i), OutboundSpi(i), i + 1));
            states.Add(State(Peer(i), Local, OutboundSpi(i) + 1, i + 1));
        }

        return states;
    }

    public static IReadOnlyList<XfrmPolicy> Policies(int count)
    {
        var policies = new List<XfrmPolicy>(count);
        for (var i = 0; i < count / 2; i++)
        {
            policies.Add(Policy(Local, Peer(i), XfrmPolicyDirection.Out, i + 1, index: (uint)(8 * i) + 1));
            policies.Add(Policy(Peer(i), Local, XfrmPolicyDirection.In, i + 1, index: (uint)(8 * i) + 8));
        }

        return policies;
    }

    private static XfrmState State(IPAddress source, IPAddress destination, uint spi, int reqid)
    {
        Span<byte> key = stackalloc byte[20];
        for (var k = 0; k < key.Length; k += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key[k..], spi);
        }

        return new XfrmState
        {
            Source = source,
            Destination = destination,
            Spi = spi,
            RequestId = (uint)reqid,
            Mode = XfrmMode.Transport,
            ReplayWindow = 32,
            Selector = HostPair(source, destination),
            Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(key), 128),
            Lifetime = XfrmLifetimeConfig.Infinite with { SoftAddExpiresSeconds = 3300, HardAddExpiresSeconds = 3600 },
        };
    }

    private static XfrmPolicy Policy(IPAddress source, IPAddress destination, XfrmPolicyDirection direction, int reqid, uint index) => new()
    {
        Selector = HostPair(source, destination),
        Direction = direction,
        Priority = 1000,
        Index = index,
        Templates = [new XfrmTemplate { Source = source, Destination = destination, RequestId = (uint)reqid, Mode = XfrmMode.Transport }],
    };

    private static XfrmSelector HostPair(IPAddress source, IPAddress destination) => new()
    {
        Source = source,
        SourcePrefixLength = 32,
        Destination = destination,
        DestinationPrefixLength = 32,
    };
}
