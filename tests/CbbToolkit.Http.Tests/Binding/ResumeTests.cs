using System.Net;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Tests.Support;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Testing.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CbbToolkit.Http.Tests.Binding;

// Later requests to a bound server against the real Kestrel server end: the advertised plaintext endpoint, the
// challenge and the proof, the bound connection kept; and every failure falling back to TLS with the credentials on a
// new connection. Both ends' IPsec channel is the test seam's (loopback has no SA pair).
public sealed class ResumeTests(CertificateStore certificates) : IClassFixture<CertificateStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SecondRequest_PlaintextWithoutCredentials_AsTheBoundPrincipal_OnOneKeptConnection()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();
        var (_, first, _) = await BindingWorld.GetAsync(client, "secret");
        Assert.Equal(IpsecBindingState.Created, first.Binding);

        var (response, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", whoami.Name);
        Assert.Equal("Used", whoami.Binding);
        Assert.False(whoami.Tls);
        Assert.Equal("", whoami.Authorization);
        Assert.Equal(IpsecBindingState.Used, exchange.Binding);
        Assert.Equal(first.BindingId, exchange.BindingId);
        Assert.False(exchange.UsedTls);
        Assert.False(exchange.CredentialsSent);
        Assert.True(exchange.CredentialsDropped);
        Assert.True(exchange.TlsDropped);
        Assert.Null(exchange.Fallback);
        Assert.Equal(new Uri($"http://127.0.0.1:{world.Server.PlaintextPort}/secret"), exchange.UsedUri);
        Assert.Equal(new Uri(world.Server.BaseUri, "secret"), exchange.RequestedUri);
        Assert.Equal(world.Server.PlaintextPort, exchange.Connection!.Flow.Remote.Port);

        // The connection stays bound: no second challenge or proof.
        var (_, again, third) = await BindingWorld.GetAsync(client, "secret");
        Assert.Equal("alice", third.Name);
        Assert.Equal(IpsecBindingState.Used, again.Binding);
        Assert.Equal(1, world.Server.PlaintextConnections);
        Assert.Equal(1, world.Meters.Sum("cbb.http.binding.used"));
        Assert.Equal(0, world.Meters.Sum("cbb.http.binding.fallbacks"));
        Assert.Single(world.Log.Entries, e => e.Id.Id == 1404);
    }

    [Fact]
    public async Task ConnectionClose_EveryRequestANewPlaintextConnection_EachChallengedAndProven()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "secret");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Test", "alice");
            request.Headers.ConnectionClose = true;
            using var response = await client.SendAsync(request, Ct);
            var exchange = response.GetIpsecExchange()!;

            // The challenge and the proof share the connection; "close" applies after the proof, as the app asked.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((IpsecBindingState.Used, false, null), (exchange.Binding, exchange.UsedTls, exchange.Fallback));
            Assert.True(request.Headers.ConnectionClose);
        }

        Assert.Equal(3, world.Server.PlaintextConnections);
        Assert.Equal(3, world.Meters.Sum("cbb.http.binding.used"));
    }

    [Fact]
    public async Task NoPlaintextEndpointAdvertised_LaterRequestsStayOnTlsWithCredentials()
    {
        await using var world = await BindingWorld.StartAsync(certificates, advertisePlaintext: false);
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        Assert.Equal("Test alice", whoami.Authorization);
        Assert.True(whoami.Tls);
        Assert.Equal(IpsecBindingState.None, exchange.Binding);
        Assert.Equal("no-plaintext-endpoint", exchange.BindingReason);
        Assert.Equal(0, world.Server.PlaintextConnections);
    }

    [Fact]
    public async Task ClientChannelNotVerified_FallsBackToTlsWithCredentials()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        var sa = world.ServerSa;
        world.ClientChannel = c => c.Flow.Remote.Port == world.Server.PlaintextPort ? null : TestChannel.Client(sa);
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        AssertFellBack(world, exchange, whoami, IpsecFallbackReason.ChannelNotVerified, "channel-not-verified");
        Assert.Equal(2, world.Server.Requests); // nothing was sent on the plaintext connection
    }

    [Fact]
    public async Task ServerChannelNotVerified_421_FallsBackToTlsWithCredentials()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        // The server's latch of the plaintext connection is not ESTABLISHED: it answers 421 with CBB-Error.
        var sa = world.ServerSa;
        world.Server.PlaintextChannel = () => { var c = TestChannel.Server(sa); c.LatchState = IpsecLatchState.Broken; return c; };
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        AssertFellBack(world, exchange, whoami, IpsecFallbackReason.ChannelNotVerified, "channel-not-verified");
    }

    [Fact]
    public async Task ServerSeesNoIpsecOnPlaintext_ChallengesForNormalCredentials_NotChallenged_FallsBack()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        world.Server.PlaintextChannel = () => null; // no SA pair under the plaintext connection: the normal scheme's 401
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        AssertFellBack(world, exchange, whoami, IpsecFallbackReason.NotChallenged, "not-challenged");
    }

    [Fact]
    public async Task BindingRevokedOnTheServer_FallsBack_ThenBindsAgain()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();
        var (_, first, _) = await BindingWorld.GetAsync(client, "secret");
        await world.Server.Services.GetRequiredService<IChannelBindingStore>().RevokeAsync(first.BindingId!.Value, Ct);

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");
        AssertFellBack(world, exchange, whoami, IpsecFallbackReason.BindingRefused, "unknown-binding");

        var (_, rebound, _) = await BindingWorld.GetAsync(client, "secret");
        Assert.Equal(IpsecBindingState.Created, rebound.Binding);
        Assert.Equal(IpsecPinState.Matched, rebound.Pin); // same identities: the pin's binding was replaced
        Assert.NotEqual(first.BindingId, rebound.BindingId);
        Assert.Equal(rebound.BindingId, world.Pins.Find(world.Server.Authority)!.BindingId);
    }

    [Fact]
    public async Task KeptConnectionLatchNoLongerEstablished_FallsBackAsLatchBroken()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        var latch = IpsecLatchState.Established;
        var sa = world.ServerSa;
        world.ClientChannel = _ => ChannelInfo.Empty.With(ChannelAttributeType.IpsecSaBinding, sa).With(ChannelAttributeType.LatchState, [(byte)latch]);
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");
        var (_, used, _) = await BindingWorld.GetAsync(client, "secret");
        Assert.Equal(IpsecBindingState.Used, used.Binding);

        latch = IpsecLatchState.Broken;
        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        AssertFellBack(world, exchange, whoami, IpsecFallbackReason.LatchBroken, "channel-not-verified");
    }

    [Fact]
    public async Task AnonymousEndpoint_NotChallengedOnPlaintext_SentAgainOverTlsWithCredentials()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();
        await BindingWorld.GetAsync(client, "secret");

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "whoami");

        AssertFellBack(world, exchange, whoami, IpsecFallbackReason.NotChallenged, "not-challenged");
    }

    private static void AssertFellBack(BindingWorld world, IpsecExchangeInfo exchange, BoundWhoAmI whoami, IpsecFallbackReason fallback, string reason)
    {
        Assert.Equal("alice", whoami.Name);
        Assert.True(whoami.Tls);
        Assert.Equal("Test alice", whoami.Authorization);
        Assert.Equal(IpsecBindingState.Refused, exchange.Binding);
        Assert.Equal(reason, exchange.BindingReason);
        Assert.Equal(fallback, exchange.Fallback);
        Assert.True(exchange.UsedTls);
        Assert.True(exchange.CredentialsSent);
        Assert.False(exchange.CredentialsDropped);
        Assert.Equal(world.Server.BaseUri.Port, new Uri(exchange.UsedUri.GetLeftPart(UriPartial.Authority)).Port);
        Assert.Equal(1, world.Meters.Sum("cbb.http.binding.fallbacks", ("cbb.reason", fallback.ToToken())));
        Assert.Contains(world.Log.Entries, e => e.Id.Id == 1405 && e.Message.Contains(fallback.ToToken(), StringComparison.Ordinal));
    }
}
