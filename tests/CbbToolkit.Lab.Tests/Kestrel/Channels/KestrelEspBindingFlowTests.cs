using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Lab.Tests.IpsecBindings;
using CbbToolkit.Lab.Tests.NullAuth;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Lab.Tests.Kestrel.Channels;

/// <summary>
/// The whole binding flow over real ESP (two charons; the server trusts no IKE identity, as for BTNS peers, so only a
/// binding authenticates on the plaintext endpoint): first contact over TLS on B:8443 with a client certificate (the
/// app's normal scheme, Certificate), CBB-Bind driven by the client end of <see cref="BindingExchange"/> on that TLS
/// connection with the ipsec-sa-binding A computes from its own kernel; then a plain SocketsHttpHandler on the
/// <c>RequireVerifiedIpsecChannel</c> endpoint B:8080 is challenged, resumes and is served as the bound principal.
/// </summary>
public sealed class KestrelEspBindingFlowTests
{
    private const int TlsPort = 8443;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstContactOverTlsWithClientCertificate_ThenPlaintextResumesAsTheBoundPrincipal()
    {
        KernelEsp.Require();
        CharonLab.Require();
        using var serverCertificate = SelfSigned("CN=b.test", server: true);
        using var clientCertificate = SelfSigned("CN=alice", server: false);
        Socket? tlsListen = null;
        await using var server = await EspKestrel.StartAsync(builder =>
        {
            builder.Services.Configure<IpsecChannelsOptions>(o => o.TrustedPeerIds.Add("trusted-only.test"));
            builder.Services.AddAuthentication(CertificateAuthenticationDefaults.AuthenticationScheme)
                .AddCertificate(o =>
                {
                    o.AllowedCertificateTypes = CertificateTypes.SelfSigned;
                    o.RevocationMode = X509RevocationMode.NoCheck;
                })
                .AddChannelBinding()
                .AddIpsecWhenVerified(CertificateAuthenticationDefaults.AuthenticationScheme);
            builder.Services.AddAuthorization();
            builder.Services.AddChannelBindingServer(o => o.PlaintextPort = EspKestrel.Port);
        },
        app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseChannelBinding();
            app.MapGet("/secret", (HttpContext c) => Results.Json(Describe(c))).RequireAuthorization();
        },
        (k, pair) =>
        {
            tlsListen = TcpEcho.Open(new LabHost(pair.B.Namespace, pair.B.Interface, pair.B.Address, pair.B.Address6!), AddressFamily.InterNetwork);
            tlsListen.Bind(new IPEndPoint(pair.B.Address, TlsPort));
            k.ListenHandle((ulong)tlsListen.SafeHandle.DangerousGetHandle(), l =>
            {
                l.UseIpsecChannel(o => o.AcceptsBindings = true);
                l.UseHttps(https =>
                {
                    https.ServerCertificate = serverCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (c, _, _) => c.Subject == "CN=alice";
                });
            });
        }, Ct);
        using var tlsListenOwner = tlsListen;
        await using var latchA = await LatchEnd.StartAsync(server.Pair.A.Namespace, Ct);
        // A's charon names B (its IKE key), so A has ipsec-end-point-sha256 as B does: both values are offered.
        await using var peersA = new ViciPeerSource(server.Pair.A.Uri);
        await peersA.StartAsync(Ct);
        var exchange = new BindingExchange(Options.Create(new BindingExchangeOptions()));

        // First contact over TLS, authenticated by the client certificate.
        ChannelBindingRecord record;
        using (var tls = new EspClient(server.HostA, new Uri($"https://{server.Pair.B.Address}:{TlsPort}/"), clientCertificate, serverCertificate))
        {
            using (var warm = await tls.GetAsync("/whoami"))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }

            var clientInfo = await ClientChannelAsync(server, latchA, peersA, tls.Flow!);
            using var state = exchange.BeginClientFirstContact(tls.Stream!, clientInfo);
            using var bound = await tls.GetAsync("/secret", (BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request)));
            var boundJson = await bound.Content.ReadAsStringAsync(Ct);
            Assert.True(bound.StatusCode == HttpStatusCode.OK, $"{(int)bound.StatusCode} {boundJson} {Errors(bound)}");
            var who = JsonDocument.Parse(boundJson).RootElement;
            Assert.True(who.GetProperty("binding").GetString() == "Created", $"{boundJson} {Errors(bound)}");
            Assert.Equal(("alice", CertificateAuthenticationDefaults.AuthenticationScheme),
                (who.GetProperty("name").GetString(), who.GetProperty("scheme").GetString()));
            Assert.Equal("PeerNotTrusted", who.GetProperty("ipsec").GetString());
            var answer = BindingHeaderCodec.Parse(BindingMessageType.ServerFirstContact, Header(bound, BindingHeaderNames.BindResult));
            Assert.Equal(EspKestrel.Port, PlaintextEndpoint.Parse(Header(bound, BindingHeaderNames.Plaintext)).Port);
            record = exchange.CompleteClientFirstContact(state, answer, IpsecIdentity.Unauthenticated, $"{server.Pair.B.Address}:{TlsPort}");
            Assert.Equal(1, tls.Connections);
        }

        using (record)
        using (var plain = new EspClient(server.HostA, new Uri($"http://{server.Pair.B.Address}:{EspKestrel.Port}/"), null, null))
        {
            // No credentials on the plaintext endpoint: challenged.
            using var challenged = await plain.GetAsync("/secret");
            Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
            Assert.Equal(BindingHeaderNames.AuthenticationScheme, challenged.Headers.WwwAuthenticate.Single().Scheme);
            var challenge = BindingHeaderCodec.Parse(BindingMessageType.Challenge, Header(challenged, BindingHeaderNames.Challenge));

            var clientInfo = await ClientChannelAsync(server, latchA, peersA, plain.Flow!);
            using var resume = exchange.BeginClientResume(record, challenge, clientInfo, plain.Flow!);
            using var resumed = await plain.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));
            var resumedJson = await resumed.Content.ReadAsStringAsync(Ct);
            Assert.True(resumed.StatusCode == HttpStatusCode.OK, $"{(int)resumed.StatusCode} {resumedJson} {Errors(resumed)}");
            exchange.CompleteClientResume(resume, BindingHeaderCodec.Parse(BindingMessageType.ServerResume, Header(resumed, BindingHeaderNames.ResumeResult)));
            var who = JsonDocument.Parse(resumedJson).RootElement;
            Assert.Equal(("alice", "ChannelBinding", "Used"),
                (who.GetProperty("name").GetString(), who.GetProperty("scheme").GetString(), who.GetProperty("binding").GetString()));
            Assert.Equal(JsonValueKind.Null, who.GetProperty("clientCertificate").ValueKind);

            // The connection stays bound: no proof, no credentials, same connection.
            using var again = await plain.GetAsync("/secret");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("alice", JsonDocument.Parse(await again.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("name").GetString());
            Assert.Equal(1, plain.Connections);
        }
    }

    private static object Describe(HttpContext c) => new
    {
        name = c.User.Identity?.Name,
        scheme = c.User.Identity?.AuthenticationType,
        binding = c.Features.Get<IChannelBindingFeature>()?.State.ToString(),
        ipsec = c.Features.Get<IIpsecChannelFeature>()?.Status.ToString(),
        clientCertificate = c.Features.Get<ITlsConnectionFeature>()?.ClientCertificate?.Subject,
        missingBinding = c.Features.Get<IIpsecChannelFeature>()?.MissingBindingReason,
        attributes = c.Features.Get<IIpsecChannelFeature>()?.ChannelInfo?.ToString(),
    };

    // A's own view of its connection: ipsec-sa-binding from A's kernel, latch state from A's latch database.
    private static async Task<ChannelInfo> ClientChannelAsync(EspKestrel server, LatchEnd latchA, ViciPeerSource peersA, IpsecFlow flow)
    {
        var (channel, conversion) = await BindingEnd.ConvertAsync(server.Pair.A.Namespace, flow, Ct, peersA);
        return conversion.Info.With(ChannelAttributeType.LatchState, [(byte)latchA.Latch(channel)]);
    }

    private static string Errors(HttpResponseMessage response) =>
        response.Headers.TryGetValues(BindingHeaderNames.Error, out var values) ? "CBB-Error: " + string.Join(", ", values) : "(no CBB-Error)";

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"No {name} in the response ({(int)response.StatusCode}).");

    private static X509Certificate2 SelfSigned(string subject, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// A SocketsHttpHandler on one connection from A (key management asked for the SA); with certificates it runs the TLS
    /// handshake itself so that the binding exchange can read the session's exporter.
    /// </summary>
    private sealed class EspClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Uri _base;

        public EspClient(LabHost host, Uri address, X509Certificate2? clientCertificate, X509Certificate2? serverCertificate)
        {
            _base = address;
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                ConnectCallback = async (context, ct) =>
                {
                    Connections++;
                    var socket = TcpEcho.Open(host, AddressFamily.InterNetwork);
                    await CbbToolkit.Ipsec.Sockets.SocketIpsecExtensions.ConnectWithKeyManagementAsync(socket,
                        new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), TimeSpan.FromSeconds(45), ct);
                    Flow = IpsecFlow.FromSocket(socket);
                    var network = new NetworkStream(socket, ownsSocket: true);
                    if (clientCertificate is null)
                    {
                        return network;
                    }

                    var tls = new SslStream(network);
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = "b.test",
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                        ClientCertificates = [clientCertificate],
                        RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(serverCertificate!.RawData),
                    }, ct);
                    Stream = tls;
                    return tls;
                },
            };
            _http = new HttpClient(handler);
        }

        public SslStream? Stream { get; private set; }

        public IpsecFlow? Flow { get; private set; }

        public int Connections { get; private set; }

        public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return _http.SendAsync(request, Ct);
        }

        public void Dispose() => _http.Dispose();
    }
}
