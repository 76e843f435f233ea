using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel.Tests.TestSupport;
using CbbToolkit.Testing.Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Binding;

/// <summary>
/// The binding exchange over HTTP end to end on real Kestrel on loopback: first contact over real TLS (the client end
/// driven by BindingExchange over the SslStream its HttpClient connection uses), then the resume exchange on a plaintext
/// endpoint with a plain SocketsHttpHandler. Both ends' IPsec channel information is set by the test (the same
/// ipsec-sa-binding, as one SA pair gives both ends); the UML lab runs this over real ESP.
/// </summary>
public sealed class BindingEndToEndTests : IAsyncLifetime
{
    private readonly byte[] _sa = RandomNumberGenerator.GetBytes(32);
    private readonly OpenSslCertificate _certificate = OpenSslCertificate.CreateLocalhost();
    private readonly BindingExchange _client = new(Options.Create(new BindingExchangeOptions()));
    private readonly ManualTime _serverTime = new();
    private TestChannelFeature _tlsChannel = null!;
    private TestChannelFeature _plainChannel = null!;
    private TestKestrel _server = null!;

    public async ValueTask InitializeAsync()
    {
        _tlsChannel = TestChannelFeature.Unauthenticated(_sa);
        _plainChannel = TestChannelFeature.Unauthenticated(_sa);
        var certificate = _certificate.Load();
        _server = await TestKestrel.StartAsync((services, ports) =>
        {
            services.AddSingleton<TimeProvider>(_serverTime);
            services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, TestNormalScheme>(TestNormalScheme.Name, _ => { })
                .AddChannelBinding()
                .AddIpsecWhenVerified(TestNormalScheme.Name);
            services.AddAuthorization();
            services.AddChannelBindingServer(o => o.PlaintextPort = ports[1]);
        },
        [
            listen =>
            {
                TestKestrel.UseTestChannel(listen, _ => _tlsChannel);
                listen.UseHttps(certificate);
            },
            listen => TestKestrel.UseTestChannel(listen, _ => _plainChannel),
        ],
        app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseChannelBinding();
            WhoAmI.Map(app);
        });
    }

    [Fact]
    public async Task FirstContactOverTls_ThenPlaintextAsTheBoundPrincipal()
    {
        using var record = await BindAsync(_sa);
        using var plain = new PlainClient(_server.Addresses[1]);

        using var challenged = await plain.GetAsync("/secret");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal(BindingHeaderNames.AuthenticationScheme, challenged.Headers.WwwAuthenticate.Single().Scheme);
        var challenge = BindingHeaderCodec.Parse(BindingMessageType.Challenge, Header(challenged, BindingHeaderNames.Challenge));

        using var resume = _client.BeginClientResume(record, challenge, ClientChannel(_sa), plain.Flow!);
        using var resumed = await plain.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        _client.CompleteClientResume(resume, BindingHeaderCodec.Parse(BindingMessageType.ServerResume, Header(resumed, BindingHeaderNames.ResumeResult)));
        var who = await WhoAmI.JsonAsync(resumed);
        Assert.Equal("alice", who.GetProperty("name").GetString());
        Assert.Equal("ChannelBinding", who.GetProperty("scheme").GetString());
        Assert.Equal("Used", who.GetProperty("binding").GetString());
        Assert.Equal(record.Id.ToString(), who.GetProperty("claims").GetProperty("urn:cbbtoolkit:ipsec:binding-id").GetString());

        // The connection stays bound: no proof, no credentials.
        using var again = await plain.GetAsync("/secret");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("alice", (await WhoAmI.JsonAsync(again)).GetProperty("name").GetString());
        Assert.Equal(1, plain.Connections);
    }

    [Fact]
    public async Task FirstContact_AdvertisesThePlaintextEndpoint()
    {
        using var tls = new TlsClient(_server.Addresses[0], _certificate);
        await tls.WarmUpAsync();
        using var state = _client.BeginClientFirstContact(tls.Stream!, ClientChannel(_sa));

        using var response = await tls.GetAsync("/whoami", ("Authorization", "Test alice"), (BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request)));

        var advertised = PlaintextEndpoint.Parse(Header(response, BindingHeaderNames.Plaintext));
        Assert.Equal(_server.Addresses[1].Port, advertised.Port);
        Assert.Equal(TimeSpan.FromDays(1), advertised.MaxAge);
    }

    [Fact]
    public async Task FirstContact_ManInTheMiddleAtTheIpsecLayer_RefusedLoudly_RequestStillServed()
    {
        using var tls = new TlsClient(_server.Addresses[0], _certificate);
        await tls.WarmUpAsync();
        // The client's SA pair is not the server's: a man in the middle holds one with each end.
        using var state = _client.BeginClientFirstContact(tls.Stream!, ClientChannel(RandomNumberGenerator.GetBytes(32)));

        using var response = await tls.GetAsync("/secret", ("Authorization", "Test alice"), (BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", (await WhoAmI.JsonAsync(response)).GetProperty("name").GetString());
        Assert.Equal("v=1, reason=proof-mismatch", Header(response, BindingHeaderNames.Error));
        Assert.False(response.Headers.Contains(BindingHeaderNames.BindResult));
    }

    [Fact]
    public async Task FirstContact_Unauthenticated_NothingBound()
    {
        using var tls = new TlsClient(_server.Addresses[0], _certificate);
        await tls.WarmUpAsync();
        using var state = _client.BeginClientFirstContact(tls.Stream!, ClientChannel(_sa));

        using var response = await tls.GetAsync("/whoami", (BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains(BindingHeaderNames.BindResult));
    }

    [Theory]
    [InlineData("v=2, cover=1, proof=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:", "unsupported-version")]
    [InlineData("v=1, cover=1", "malformed")]
    [InlineData("v=1, cover=1, proof=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:, extra=1", "unknown-field")]
    public async Task FirstContact_BadHeader_RefusedWithReason_RequestStillServed(string header, string reason)
    {
        using var tls = new TlsClient(_server.Addresses[0], _certificate);

        using var response = await tls.GetAsync("/secret", ("Authorization", "Test alice"), (BindingHeaderNames.Bind, header));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"v=1, reason={reason}", Header(response, BindingHeaderNames.Error));
    }

    [Fact]
    public async Task Resume_ProofReplayedOnAnotherConnection_Refused()
    {
        using var record = await BindAsync(_sa);
        using var first = new PlainClient(_server.Addresses[1]);
        using var challenged = await first.GetAsync("/secret");
        var challenge = BindingHeaderCodec.Parse(BindingMessageType.Challenge, Header(challenged, BindingHeaderNames.Challenge));
        using var resume = _client.BeginClientResume(record, challenge, ClientChannel(_sa), first.Flow!);

        using var other = new PlainClient(_server.Addresses[1]);
        using var replayed = await other.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal("v=1, reason=stale-challenge", Header(replayed, BindingHeaderNames.Error));
        // A fresh challenge comes with it, for this connection.
        Assert.NotEqual(Header(challenged, BindingHeaderNames.Challenge), Header(replayed, BindingHeaderNames.Challenge));
    }

    [Fact]
    public async Task Resume_UnknownBinding_403()
    {
        using var record = await BindAsync(_sa);
        await _server.Services.GetRequiredService<CbbToolkit.Channels.Stores.IChannelBindingStore>().RevokeAsync(record.Id, TestContext.Current.CancellationToken);
        using var plain = new PlainClient(_server.Addresses[1]);
        using var resume = await ChallengedResumeAsync(plain, record);

        using var refused = await plain.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("v=1, reason=unknown-binding", Header(refused, BindingHeaderNames.Error));
    }

    [Fact]
    public async Task Resume_BindingExpiredOnTheServer_403Expired()
    {
        using var record = await BindAsync(_sa);
        // The server's clock passes the binding's lifetime (the client's does not, so it still offers the binding).
        _serverTime.Now += new BindingExchangeOptions().BindingLifetime + TimeSpan.FromSeconds(1);
        using var plain = new PlainClient(_server.Addresses[1]);
        using var resume = await ChallengedResumeAsync(plain, record);

        using var refused = await plain.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("v=1, reason=expired", Header(refused, BindingHeaderNames.Error));
    }

    [Fact]
    public async Task Plaintext_ChannelNotVerified_421()
    {
        using var record = await BindAsync(_sa);
        using var plain = new PlainClient(_server.Addresses[1]);
        using var resume = await ChallengedResumeAsync(plain, record);
        _plainChannel.Status = IpsecChannelStatus.NotProtected;
        _plainChannel.LatchState = null;

        using var response = await plain.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Equal("v=1, reason=channel-not-verified", Header(response, BindingHeaderNames.Error));
    }

    [Fact]
    public async Task BoundConnection_LatchBroken_NoLongerAuthenticated()
    {
        using var record = await BindAsync(_sa);
        using var plain = new PlainClient(_server.Addresses[1]);
        using var resume = await ChallengedResumeAsync(plain, record);
        using var resumed = await plain.GetAsync("/secret", (BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request)));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);

        _plainChannel.LatchState = IpsecLatchState.Broken;
        _plainChannel.Status = IpsecChannelStatus.NotLatched;
        using var after = await plain.GetAsync("/whoami");

        Assert.False((await WhoAmI.JsonAsync(after)).GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task ForgedIdentityHeaders_ChangeNothing()
    {
        using var plain = new PlainClient(_server.Addresses[1]);

        using var response = await plain.GetAsync("/whoami",
            (BindingHeaderNames.BindResult, "v=1, cover=1, id=:YGFiY2RlZmdoaWprbG1ubw==:, ttl=86400, proof=:8tZSwusrUYwOfmdEGX2l8qVNRk+g/BuHZJP6ikZkF7o=:"),
            ("X-Ipsec-Peer", "admin"), ("X-Client-Cert", "CN=admin"), ("X-Forwarded-User", "admin"));

        Assert.False((await WhoAmI.JsonAsync(response)).GetProperty("authenticated").GetBoolean());
    }

    private async Task<ChannelBindingRecord> BindAsync(byte[] clientSa)
    {
        using var tls = new TlsClient(_server.Addresses[0], _certificate);
        await tls.WarmUpAsync();
        using var state = _client.BeginClientFirstContact(tls.Stream!, ClientChannel(clientSa));
        using var response = await tls.GetAsync("/secret", ("Authorization", "Test alice"), (BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Created", (await WhoAmI.JsonAsync(response)).GetProperty("binding").GetString());
        var answer = BindingHeaderCodec.Parse(BindingMessageType.ServerFirstContact, Header(response, BindingHeaderNames.BindResult));
        Assert.Equal(1, tls.Connections);
        return _client.CompleteClientFirstContact(state, answer, IpsecIdentity.Unauthenticated, tls.Authority);
    }

    private static ChannelInfo ClientChannel(byte[] sa) =>
        ChannelInfo.Empty.With(ChannelAttributeType.IpsecSaBinding, sa).With(ChannelAttributeType.LatchState, [(byte)IpsecLatchState.Established]);

    /// <summary>Asks <paramref name="plain"/>'s connection for a challenge (an unauthenticated request) and begins the resume it answers.</summary>
    private async Task<ClientResume> ChallengedResumeAsync(PlainClient plain, ChannelBindingRecord record)
    {
        using var challenged = await plain.GetAsync("/secret");
        var challenge = BindingHeaderCodec.Parse(BindingMessageType.Challenge, Header(challenged, BindingHeaderNames.Challenge));
        return _client.BeginClientResume(record, challenge, ClientChannel(_sa), plain.Flow!);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"No {name} in the response ({(int)response.StatusCode}).");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    /// <summary>HttpClient on one connection whose TLS handshake it owns, so the binding exchange can read its exporter.</summary>
    private sealed class TlsClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Uri _base;

        public TlsClient(Uri address, OpenSslCertificate server)
        {
            _base = address;
            Authority = $"{address.Host}:{address.Port}";
            var thumbprint = server.Load().Thumbprint;
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                ConnectCallback = async (context, ct) =>
                {
                    Connections++;
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = "localhost",
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                        RemoteCertificateValidationCallback = (_, c, _, _) => c is X509Certificate2 x && x.Thumbprint == thumbprint,
                    }, ct);
                    Stream = tls;
                    return tls;
                },
            };
            _http = new HttpClient(handler);
        }

        public SslStream? Stream { get; private set; }

        public int Connections { get; private set; }

        public string Authority { get; }

        public async Task WarmUpAsync()
        {
            using var response = await GetAsync("/whoami");
            Assert.NotNull(Stream);
        }

        public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return _http.SendAsync(request);
        }

        public void Dispose() => _http.Dispose();
    }

    /// <summary>A plain SocketsHttpHandler on one connection, remembering the connection's 5-tuple as the client sees it.</summary>
    private sealed class PlainClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Uri _base;

        public PlainClient(Uri address)
        {
            _base = address;
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                ConnectCallback = async (context, ct) =>
                {
                    Connections++;
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    Flow = IpsecFlow.FromSocket(socket);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            _http = new HttpClient(handler);
        }

        public IpsecFlow? Flow { get; private set; }

        public int Connections { get; private set; }

        public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return _http.SendAsync(request);
        }

        public void Dispose() => _http.Dispose();
    }
}
