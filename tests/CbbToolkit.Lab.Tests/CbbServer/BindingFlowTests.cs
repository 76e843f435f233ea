using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Lab.Tests.IpsecBindings;
using CbbToolkit.Testing.Charon;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>
/// The channel-binding flow against samples/CbbServer over real ESP from two charons whose IKE peer the server does not
/// accept as a principal (configuration IpsecChannels:TrustedPeerIds = *.trusted.example; the peer is a.test): its
/// channel is protected and latched but PeerNotTrusted, so only a binding authenticates it. First contact over TLS with
/// alice's client certificate binds the channel to alice; a later plaintext connection proves the binding and is alice. The client is a plain SocketsHttpHandler whose
/// ConnectCallback hands it the client's own socket (or SslStream, to compute the first-contact proof from its exporter)
/// and whose requests carry the binding headers this test computes with the library's client end (BindingExchange).
/// </summary>
public sealed class BindingFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstContactOverTlsWithClientCertificate_ThenPlaintextAsTheBoundPrincipal()
    {
        KernelEsp.Require();
        CharonLab.Require();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct, "*.trusted.example");
        var exchange = new BindingExchange(Options.Create(new BindingExchangeOptions()));
        await using var peers = new ViciPeerSource(lab.Pair.A.Uri); // the client's view of its IKE peer, for ipsec-end-point-sha256
        await peers.StartAsync(Ct);
        // The client latches its connections too (a resume proves a latched channel): its own cache and latches in A.
        await using var cache = await XfrmStateCache.StartAsync(lab.Pair.A.Namespace, cancellationToken: Ct);
        await using var latches = new IpsecLatchDatabase(new IpsecChannelResolver(cache, peers));
        using var alice = lab.Certificates.Alice();

        // Before any binding: the plaintext endpoint keeps the untrusted peer's connection open only to challenge it.
        using (var before = new BoundClient(lab, peers, latches, tls: false, alice))
        {
            using var response = await before.Http.GetAsync(new Uri(lab.Plaintext, "/secret"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.True(response.Headers.Contains(BindingHeaderNames.Challenge), "no CBB-Challenge on the 401");
        }

        // First contact: TLS with alice's certificate; the proof covers this connection's exporter and ipsec-sa-binding.
        ChannelBindingRecord record;
        int advertisedPort;
        using (var first = new BoundClient(lab, peers, latches, tls: true, alice))
        {
            // http: the handler speaks HTTP/1.1 over the SslStream the ConnectCallback made.
            var tlsWhoAmI = new Uri($"http://{lab.Pair.B.Address}:{CbbServerLab.TlsPort}/whoami");
            var (ssl, info) = await first.OpenAsync(tlsWhoAmI, Ct); // the proof needs the connection's exporter first
            var localIdentity = first.LocalIdentity!;
            using var request = new HttpRequestMessage(HttpMethod.Get, tlsWhoAmI);
            using var state = exchange.BeginClientFirstContact(ssl, info);
            request.Headers.TryAddWithoutValidation(BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request));
            using var response = await first.Http.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.Headers.TryGetValues(BindingHeaderNames.BindResult, out var result),
                $"no CBB-Bind-Result: {(response.Headers.TryGetValues(BindingHeaderNames.Error, out var e) ? string.Join(",", e) : "no CBB-Error")}\n{body}\n{lab.Log()}");
            record = exchange.CompleteClientFirstContact(state, BindingHeaderCodec.Parse(BindingMessageType.ServerFirstContact, [.. result]),
                localIdentity, $"{lab.Pair.B.Address}:{CbbServerLab.TlsPort}");
            advertisedPort = PlaintextEndpoint.Parse(Assert.Single(response.Headers.GetValues(BindingHeaderNames.Plaintext))).Port;
            var me = JsonDocument.Parse(body).RootElement;
            Assert.Equal(("Certificate", "alice"), (me.GetProperty("scheme").GetString(), me.GetProperty("name").GetString()));
            Assert.True(me.GetProperty("binding").GetProperty("created").GetBoolean(), body);
            Assert.Equal("PeerNotTrusted", me.GetProperty("ipsec").GetProperty("reason").GetString()?.Split(':')[0]);
        }

        using (record)
        {
            Assert.Equal(CbbServerLab.PlaintextPort, advertisedPort);

            // Later connection, no TLS: challenge, proof over this connection's SA pair and 5-tuple, then alice.
            using var later = new BoundClient(lab, peers, latches, tls: false, certificate: null);
            using var challenged = await later.Http.GetAsync(new Uri(lab.Plaintext, "/secret"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
            var challenge = BindingHeaderCodec.Parse(BindingMessageType.Challenge, [.. challenged.Headers.GetValues(BindingHeaderNames.Challenge)]);
            var (socket, info) = later.Opened!.Value;
            using var resume = exchange.BeginClientResume(record, challenge, info, IpsecFlow.FromSocket(socket));
            using var proven = new HttpRequestMessage(HttpMethod.Get, new Uri(lab.Plaintext, "/secret"));
            proven.Headers.TryAddWithoutValidation(BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request));
            using var secret = await later.Http.SendAsync(proven, Ct);
            var secretBody = await secret.Content.ReadAsStringAsync(Ct);
            Assert.True(secret.StatusCode == HttpStatusCode.OK, $"{(int)secret.StatusCode} {secretBody} " +
                $"{(secret.Headers.TryGetValues(BindingHeaderNames.Error, out var err) ? string.Join(",", err) : "")}\n{lab.Log()}");
            exchange.CompleteClientResume(resume, BindingHeaderCodec.Parse(BindingMessageType.ServerResume,
                [.. secret.Headers.GetValues(BindingHeaderNames.ResumeResult)]));
            Assert.Equal("alice", JsonDocument.Parse(secretBody).RootElement.GetProperty("name").GetString());

            // The same connection stays alice, by the binding, for the next request without headers.
            var me = JsonDocument.Parse(await later.Http.GetStringAsync(new Uri(lab.Plaintext, "/whoami"), Ct)).RootElement;
            Assert.Equal(("ChannelBinding", "alice"), (me.GetProperty("scheme").GetString(), me.GetProperty("name").GetString()));
            Assert.True(me.GetProperty("binding").GetProperty("used").GetBoolean());
            Assert.False(me.GetProperty("tls").GetBoolean());
            Assert.Single(later.Ports); // challenge, proof and the request after it: one connection
        }
    }


    /// <summary>
    /// A SocketsHttpHandler over one connection from A: a socket made in A's namespace, with TLS done here when asked (so
    /// the test holds the SslStream), and the connection's IPsec channel information computed from A's kernel.
    /// </summary>
    private sealed class BoundClient : IDisposable
    {
        private readonly TaskCompletionSource<(SslStream, Channels.ChannelInfo)> _tls = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<int> _ports = [];

        public BoundClient(CbbServerLab lab, IIpsecPeerSource peers, IpsecLatchDatabase latches, bool tls, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                ConnectCallback = async (context, ct) =>
                {
                    var socket = NetworkNamespace.Run(lab.Pair.A.Namespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                    socket.Bind(new IPEndPoint(lab.Pair.A.Address, 0));
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
                    lock (_ports)
                    {
                        _ports.Add(((IPEndPoint)socket.LocalEndPoint!).Port);
                    }

                    var (channel, conversion) = await BindingEnd.ConvertAsync(lab.Pair.A.Namespace, BindingEnd.Of(socket), ct, peers);
                    var latch = await latches.CreateConnectionLatchAsync(IpsecFlow.FromSocket(socket), cancellationToken: ct);
                    var latched = conversion.Info.With(Channels.ChannelAttributeType.LatchState, [(byte)latches.Inquire(latch).State]);
                    Opened = (socket, latched);
                    LocalIdentity = Identity(channel.Peer);
                    var stream = new NetworkStream(socket, ownsSocket: true);
                    if (!tls)
                    {
                        return stream;
                    }

                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = "server.test",
                        RemoteCertificateValidationCallback = (_, c, _, _) => lab.Certificates.IsServer(c),
                        LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                    }, ct);
                    _tls.TrySetResult((ssl, latched));
                    return ssl; // the handler speaks HTTP/1.1 over it: the request URI says http
                },
            };
            Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        }

        public HttpClient Http { get; }

        /// <summary>This end's IKE identity on the connection opened last, as the server records the client's.</summary>
        public IpsecIdentity? LocalIdentity { get; private set; }

        /// <summary>The socket and its channel information of the connection opened last.</summary>
        public (Socket Socket, Channels.ChannelInfo Info)? Opened { get; private set; }

        public IReadOnlyList<int> Ports
        {
            get
            {
                lock (_ports)
                {
                    return [.. _ports];
                }
            }
        }

        /// <summary>Opens the TLS connection (a request whose answer does not matter) and returns its stream and channel information.</summary>
        public async Task<(SslStream, Channels.ChannelInfo)> OpenAsync(Uri uri, CancellationToken ct)
        {
            using var warmup = await Http.GetAsync(uri, ct);
            return await _tls.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
        }

        public void Dispose() => Http.Dispose();

        private static IpsecIdentity Identity(IpsecPeer? peer) => peer is null
            ? IpsecIdentity.Unauthenticated
            : new IpsecIdentity(peer.LocalId, peer.LocalAuthenticationMethod,
                peer.LocalPublicKey is { Length: > 0 } key ? SHA256.HashData(key.Span) : []);
    }
}
