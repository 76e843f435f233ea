using System.Net;
using System.Security.Claims;
using System.Text.Json;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel.Authentication;
using CbbToolkit.Kestrel.Tests.TestSupport;
using CbbToolkit.Testing.Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Authentication;

/// <summary>The IPsec scheme and the IpsecWhenVerified selector on real Kestrel and HttpClient on loopback.</summary>
public sealed class IpsecAuthenticationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cbb-kauth-").FullName;
    private readonly OpenSslCertificate _ikeCertificate;

    public IpsecAuthenticationTests() =>
        _ikeCertificate = OpenSslCertificate.Create(_dir, "client.example.net", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");

    [Fact]
    public async Task VerifiedChannel_AuthenticatesAsIkePeer_WithDocumentedClaims()
    {
        var endPoint = Convert.FromHexString("404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f");
        using var certificate = _ikeCertificate.Load();
        var channel = TestChannelFeature.Verified();
        channel.Peer = new IpsecPeer
        {
            RemoteId = "client.example.net",
            AuthenticationMethod = IpsecAuthenticationMethod.PkixTrusted,
            Certificate = _ikeCertificate.Der(),
            PublicKey = certificate.PublicKey.ExportSubjectPublicKeyInfo(),
        };
        channel.ChannelInfo = channel.ChannelInfo!.With(ChannelAttributeType.IpsecEndPointSha256, endPoint);
        await using var server = await StartAsync(channel);

        var who = await GetAsync(server, "/secret", HttpStatusCode.OK);

        Assert.Equal("Ipsec", who.GetProperty("scheme").GetString());
        Assert.Equal("client.example.net", who.GetProperty("name").GetString());
        var claims = who.GetProperty("claims");
        Assert.Equal("client.example.net", claims.GetProperty(IpsecClaimTypes.IkeId).GetString());
        Assert.Equal("PkixTrusted", claims.GetProperty(IpsecClaimTypes.AuthenticationMethod).GetString());
        // Cross-checked with what openssl computes for the same certificate.
        Assert.Equal(_ikeCertificate.SpkiSha256Hex, claims.GetProperty(IpsecClaimTypes.PeerPublicKeySha256).GetString());
        Assert.Equal(_ikeCertificate.CertificateSha256Hex, claims.GetProperty(IpsecClaimTypes.PeerCertificateThumbprint).GetString());
        Assert.Equal("CN=client.example.net", claims.GetProperty(IpsecClaimTypes.PeerCertificateSubject).GetString());
        Assert.Equal(Convert.ToHexStringLower(endPoint), claims.GetProperty(IpsecClaimTypes.EndPointSha256).GetString());
    }

    [Fact]
    public async Task VerifiedChannel_ClientCredentialsIgnored_ChannelWins()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified());

        var who = await GetAsync(server, "/secret", HttpStatusCode.OK, ("Authorization", "Test mallory"), ("X-Ipsec-Peer", "admin"));

        Assert.Equal("client.example.net", who.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(IpsecChannelStatus.PeerNotTrusted)]
    [InlineData(IpsecChannelStatus.NotProtected)]
    [InlineData(IpsecChannelStatus.NotLatched)]
    [InlineData(IpsecChannelStatus.PeerUnknown)]
    [InlineData(IpsecChannelStatus.Error)]
    public async Task NotVerified_NormalSchemeOnly(IpsecChannelStatus status)
    {
        var channel = TestChannelFeature.Verified();
        channel.Status = status;
        await using var server = await StartAsync(channel);

        await GetAsync(server, "/secret", HttpStatusCode.Unauthorized);
        var who = await GetAsync(server, "/secret", HttpStatusCode.OK, ("Authorization", "Test bob"));

        Assert.Equal("bob", who.GetProperty("name").GetString());
        Assert.Equal(TestNormalScheme.Name, who.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task LatchBreaksOnOpenConnection_NextRequestNotAuthenticated()
    {
        var channel = TestChannelFeature.Verified();
        await using var server = await StartAsync(channel);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });

        using var before = await http.GetAsync(new Uri(server.Addresses[0], "/whoami"), TestContext.Current.CancellationToken);
        channel.Status = IpsecChannelStatus.NotLatched;
        channel.LatchState = CbbToolkit.Ipsec.Latching.IpsecLatchState.Broken;
        using var after = await http.GetAsync(new Uri(server.Addresses[0], "/whoami"), TestContext.Current.CancellationToken);

        Assert.True((await WhoAmI.JsonAsync(before)).GetProperty("authenticated").GetBoolean());
        Assert.False((await WhoAmI.JsonAsync(after)).GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task OnChannelValidated_MapsThePrincipal()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified(), o => o.Events.OnChannelValidated = c =>
        {
            c.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "svc-" + c.Channel.Peer!.RemoteId)], c.Scheme.Name));
            return Task.CompletedTask;
        });

        var who = await GetAsync(server, "/secret", HttpStatusCode.OK);

        Assert.Equal("svc-client.example.net", who.GetProperty("name").GetString());
    }

    [Fact]
    public async Task OnChannelValidated_Refuses_403()
    {
        var failed = 0;
        await using var server = await StartAsync(TestChannelFeature.Verified(), o => o.Events.OnChannelValidated = c =>
        {
            c.Fail("not this one");
            Interlocked.Increment(ref failed);
            return Task.CompletedTask;
        });

        await GetAsync(server, "/secret", HttpStatusCode.Forbidden);
        var who = await GetAsync(server, "/whoami", HttpStatusCode.OK);

        Assert.False(who.GetProperty("authenticated").GetBoolean());
        Assert.True(failed >= 2);
    }

    [Fact]
    public async Task MethodNotAllowed_NotAuthenticated()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified(method: IpsecAuthenticationMethod.PresharedKey),
            o => o.AllowedAuthenticationMethods.Remove(IpsecAuthenticationMethod.PresharedKey));

        var who = await GetAsync(server, "/whoami", HttpStatusCode.OK);

        Assert.False(who.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task OnChallenge_Handled_WritesItsOwnResponse()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified(), o =>
        {
            o.Events.OnChannelValidated = c => { c.Fail("no"); return Task.CompletedTask; };
            o.Events.OnChallenge = c => { c.Response.StatusCode = 418; c.HandleResponse(); return Task.CompletedTask; };
        });

        await GetAsync(server, "/secret", (HttpStatusCode)418);
    }

    [Theory]
    [InlineData(IpsecAuthenticationMethod.Null)]
    [InlineData(IpsecAuthenticationMethod.Btns)]
    [InlineData(IpsecAuthenticationMethod.None)]
    public void Options_MethodThatNamesNobody_Refused(IpsecAuthenticationMethod method)
    {
        var options = new IpsecAuthenticationOptions();
        options.AllowedAuthenticationMethods.Add(method);

        var e = Assert.Throws<InvalidOperationException>(() => options.Validate("Ipsec"));
        Assert.Contains(method.ToString(), e.Message, StringComparison.Ordinal);
    }

    private static Task<TestKestrel> StartAsync(IIpsecChannelFeature channel, Action<IpsecAuthenticationOptions>? configure = null) =>
        TestKestrel.StartAsync(services =>
        {
            services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, TestNormalScheme>(TestNormalScheme.Name, _ => { })
                .AddIpsec(configure ?? (_ => { }))
                .AddIpsecWhenVerified(TestNormalScheme.Name);
            services.AddAuthorization();
        },
        [listen => TestKestrel.UseTestChannel(listen, _ => channel)],
        app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            WhoAmI.Map(app);
        });

    private static async Task<JsonElement> GetAsync(TestKestrel server, string path, HttpStatusCode expected, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Addresses[0], path));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return response.StatusCode == HttpStatusCode.OK ? await WhoAmI.JsonAsync(response) : default;
    }

    public void Dispose()
    {
        _ikeCertificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
