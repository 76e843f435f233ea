using System.Net;
using System.Security.Cryptography;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Testing.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CbbToolkit.Http.Tests.Binding;

// First contact over real TLS against the real Kestrel server end (issue 6): the handler binds the TLS session to the
// channel after the app's normal authentication and keeps the binding with the pin. The IPsec channel of both ends is
// the test seam's (loopback has no SA pair); the proofs, the exporter, the headers and both stores are real.
public sealed class FirstContactTests(CertificateStore certificates) : IClassFixture<CertificateStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstContact_WithCredentials_CreatesBindingAndPin()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();

        var (response, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", whoami.Name);
        Assert.Equal("Created", whoami.Binding);
        Assert.True(whoami.Tls);
        Assert.Equal(IpsecBindingState.Created, exchange.Binding);
        Assert.Null(exchange.BindingReason);
        Assert.Equal(IpsecPinState.Stored, exchange.Pin);
        Assert.True(exchange.UsedTls);
        Assert.True(exchange.AuthorizationSent);
        Assert.False(exchange.CredentialsDropped);
        Assert.Null(exchange.Fallback);
        Assert.NotNull(exchange.Connection);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, exchange.TlsProtocol);
        var pin = world.Pins.Find(world.Server.Authority);
        Assert.NotNull(pin);
        Assert.Equal(exchange.BindingId, pin.BindingId);
        // The server kept the same binding, for alice.
        var store = world.Server.Services.GetRequiredService<IChannelBindingStore>();
        var lookup = await store.FindAsync(pin.BindingId, Ct);
        using var record = lookup.Record;
        Assert.NotNull(record);
        Assert.Equal("alice", record.Principal?.Name);
        Assert.Equal(1, world.Meters.Sum("cbb.http.binding.created"));
        Assert.Contains(world.Log.Entries, e => e.Id.Id == 1403);
    }

    [Fact]
    public async Task FirstContact_ManInTheMiddleAtTheIpsecLayer_RefusedLoudly_ServedWithCredentials_NothingKept()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        // The client's SA pair is not the server's: a man in the middle holds one with each end.
        var other = RandomNumberGenerator.GetBytes(32);
        world.ClientChannel = _ => Support.TestChannel.Client(other);
        using var client = world.Client();

        var (response, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", whoami.Name);
        Assert.Equal("Refused", whoami.Binding);
        Assert.Equal(IpsecBindingState.Refused, exchange.Binding);
        Assert.Equal("proof-mismatch", exchange.BindingReason);
        Assert.True(exchange.UsedTls);
        Assert.True(exchange.AuthorizationSent);
        Assert.Null(world.Pins.Find(world.Server.Authority));
        Assert.Equal(1, world.Meters.Sum("cbb.http.binding.refused", ("cbb.reason", "proof-mismatch")));
        Assert.Contains(world.Log.Entries, e => e.Id.Id == 1406 && e.Message.Contains("proof-mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FirstContact_ChannelNotVerified_FallsBackToTlsWithCredentialsOnANewConnection()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        world.ClientChannel = _ => null; // no SA pair under the connection
        using var client = world.Client();

        var (response, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", whoami.Name);
        Assert.True(whoami.Tls);
        Assert.Equal("Test alice", whoami.Authorization);
        Assert.Null(whoami.Binding);
        Assert.Equal(IpsecBindingState.Refused, exchange.Binding);
        Assert.Equal("channel-not-verified", exchange.BindingReason);
        Assert.Equal(IpsecFallbackReason.ChannelNotVerified, exchange.Fallback);
        Assert.True(exchange.CredentialsSent);
        // The handler's own connection carried nothing; the request went over a second one, the normal pool's.
        Assert.Equal(2, world.Server.TlsConnections);
        Assert.Equal(1, world.Server.Requests);
        Assert.Null(world.Pins.Find(world.Server.Authority));
        Assert.Equal(1, world.Meters.Sum("cbb.http.binding.fallbacks", ("cbb.reason", "channel-not-verified")));
        Assert.Contains(world.Log.Entries, e => e.Id.Id == 1405);
    }

    [Fact]
    public async Task RequestDemandingHttp2_GoesOverTheNormalPool_NothingBound()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "secret") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Test", "alice");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var exchange = response.GetIpsecExchange()!;
        Assert.Equal(IpsecBindingState.None, exchange.Binding);
        Assert.Equal("http2-required", exchange.BindingReason);
        Assert.Null(world.Pins.Find(world.Server.Authority));
    }

    [Fact]
    public async Task NoCredentials_NothingBound()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client();

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "whoami", user: null);

        Assert.False(whoami.Authenticated);
        Assert.Equal(IpsecBindingState.None, exchange.Binding);
        Assert.Equal("no-credentials", exchange.BindingReason);
        Assert.Null(world.Pins.Find(world.Server.Authority));
    }

    [Fact]
    public async Task UnpinnedServer_WithoutLeapOfFaith_NothingBoundOrPinned()
    {
        await using var world = await BindingWorld.StartAsync(certificates);
        using var client = world.Client(allowLeapOfFaith: false);

        var (_, exchange, whoami) = await BindingWorld.GetAsync(client, "secret");

        Assert.Equal("alice", whoami.Name);
        Assert.Null(whoami.Binding);
        Assert.Equal(IpsecBindingState.None, exchange.Binding);
        Assert.Equal("not-pinned", exchange.BindingReason);
        Assert.Null(world.Pins.Find(world.Server.Authority));
    }
}
