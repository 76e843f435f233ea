using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Channels.Tests.DraftApi;

/// <summary>
/// Kernel state as strongSwan installs it for a transport-mode ESP child SA between 192.0.2.1 and 192.0.2.2 (policies
/// both ways, reqid 1, AES-GCM SAs with keys), held in memory: the host kernel cannot hold an ESP SA, so the protected
/// path of the resolver is fed this model here (User-Mode Linux runs it against a real kernel). The peer source is an
/// in-memory key manager that names the peer, or is unreachable.
/// </summary>
internal static class EspModel
{
    public const uint OutboundSpi = 0xc0de0001;
    public const uint InboundSpi = 0xc0de0002;
    public static readonly IPAddress Local = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress Remote = IPAddress.Parse("192.0.2.2");
    public static readonly byte[] AeadKey = RandomNumberGenerator.GetBytes(20);

    public static XfrmStateCache Cache() => XfrmStateCache.FromDump(
        [Sa(Local, Remote, OutboundSpi), Sa(Remote, Local, InboundSpi)],
        [Policy(Local, Remote, XfrmPolicyDirection.Out, 1), Policy(Remote, Local, XfrmPolicyDirection.In, 8)]);

    public static IpsecFlow Flow() => new(new IPEndPoint(Local, 50000), new IPEndPoint(Remote, 443), ProtocolType.Tcp);

    public static IpsecPeer Peer(string id, byte[]? publicKey = null) => new()
    {
        RemoteId = id,
        AuthenticationMethod = IpsecAuthenticationMethod.RawPublicKey,
        RemoteHost = Remote,
        IkeSaUniqueId = 7,
        PublicKey = publicKey,
    };

    public static byte[] NewPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfo();
    }

    private static XfrmState Sa(IPAddress source, IPAddress destination, uint spi) => new()
    {
        Source = source,
        Destination = destination,
        Spi = spi,
        RequestId = 1,
        Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(AeadKey), 128),
    };

    // The kernel numbers policies with the direction in the low 3 bits; the cache keys them by that index.
    private static XfrmPolicy Policy(IPAddress source, IPAddress destination, XfrmPolicyDirection direction, uint index) => new()
    {
        Index = index,
        Selector = XfrmSelector.Between(source, destination),
        Direction = direction,
        Templates = [new XfrmTemplate { Protocol = XfrmProtocol.Esp, Mode = XfrmMode.Transport, RequestId = 1 }],
    };

    /// <summary>A key manager in memory: it names one peer for the model's SA pair, or cannot be reached.</summary>
    internal sealed class KeyManager(IpsecPeer? peer, bool reachable = true) : IIpsecPeerSource
    {
        public ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default) =>
            !reachable ? throw new IpsecException(IpsecError.ConnectionRefused, "charon is not running")
            : ValueTask.FromResult(query is { RequestId: 1, OutboundSpi: OutboundSpi, InboundSpi: InboundSpi } ? peer : null);
    }
}
