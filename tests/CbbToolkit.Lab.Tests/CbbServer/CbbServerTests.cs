using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Testing.Charon;
using Xunit;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>
/// samples/CbbServer end to end, as a child process in B, against clients in A over real ESP negotiated by two real
/// charons (<see cref="CbbServerLab"/>): who gets in on the plaintext endpoint and as whom, what a lost channel does to an
/// open keep-alive connection, what a rekey does not, and when the TLS endpoint asks for a client certificate.
/// </summary>
public sealed class CbbServerTests
{
    private static readonly TimeSpan AbortLimit = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IkePeer_OnPlaintext_IsAuthenticatedAsItsIkeId_WithCharonsSpis()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        using var client = lab.Client();

        var me = await client.WhoAmIAsync(lab.Plaintext, Ct);
        var (outbound, inbound, _) = await lab.ServerChildAsync(Ct);

        Assert.True(me.GetProperty("authenticated").GetBoolean(), me.ToString());
        Assert.Equal("Ipsec", me.GetProperty("scheme").GetString());
        Assert.Equal("a.test", me.GetProperty("name").GetString());
        Assert.False(me.GetProperty("tls").GetBoolean());
        var ipsec = me.GetProperty("ipsec");
        Assert.True(ipsec.GetProperty("verified").GetBoolean(), ipsec.ToString());
        Assert.Equal("a.test", ipsec.GetProperty("peerId").GetString());
        Assert.Equal("RawPublicKey", ipsec.GetProperty("peerAuth").GetString());
        // The SA pair the server reports is the one B's charon installed for this child.
        Assert.Equal($"0x{outbound:x8}", ipsec.GetProperty("outboundSpi").GetString());
        Assert.Equal($"0x{inbound:x8}", ipsec.GetProperty("inboundSpi").GetString());
        Assert.Equal(HttpStatusCode.OK, await client.SecretAsync(lab.Plaintext, Ct));
    }

    [Fact]
    public async Task UnprotectedFlow_OnPlaintext_ClosedWithoutAResponse_ButTlsServesItUnauthenticated()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        var server = new IPEndPoint(lab.Pair.B.Address, CbbServerLab.PlaintextPort);

        var outcome = await RawHttp.GetAsync(lab.Pair.A.Namespace, CbbServerLab.Unprotected, server, "/whoami", TimeSpan.FromSeconds(10), Ct);

        Assert.True(outcome.Closed, $"the server kept the unprotected connection open\n{lab.Log()}");
        Assert.Equal("", outcome.Received);
        // Control: the same flow is answered on TLS, where IPsec is optional - not verified, and nobody.
        using var client = lab.Client(CbbServerLab.Unprotected);
        var me = await client.WhoAmIAsync(lab.Tls, Ct);
        Assert.False(me.GetProperty("authenticated").GetBoolean());
        Assert.False(me.GetProperty("ipsec").GetProperty("verified").GetBoolean());
        Assert.StartsWith("NotProtected", me.GetProperty("ipsec").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.SecretAsync(lab.Tls, Ct));
    }

    [Fact]
    public async Task ForgedIdentityHeaders_ChangeNothing()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        var alice = Convert.ToBase64String(lab.Certificates.Alice().RawData);
        (string, string)[] forged =
        [
            ("X-Forwarded-User", "admin"), ("X-Remote-User", "admin"), ("X-Authenticated-User", "admin"),
            ("X-ARR-ClientCert", alice), ("X-Client-Cert", alice), ("X-Forwarded-Client-Cert", $"Hash=00;Subject=\"CN=alice\";Cert={alice}"),
            ("X-Ipsec-Peer", "admin.test"), ("Authorization", "Bearer admin"),
        ];

        // A verified peer stays itself.
        using var verified = lab.Client();
        var plain = await verified.WhoAmIAsync(lab.Plaintext, Ct);
        var forgedPlain = await verified.WhoAmIAsync(lab.Plaintext, Ct, forged);
        Assert.Equal("a.test", plain.GetProperty("name").GetString());
        Assert.Equal(Identity(plain), Identity(forgedPlain));

        // A TLS client without certificate on an unprotected flow stays nobody, whatever it claims.
        using var nobody = lab.Client(CbbServerLab.Unprotected);
        var anonymous = await nobody.WhoAmIAsync(lab.Tls, Ct, forged);
        Assert.False(anonymous.GetProperty("authenticated").GetBoolean(), anonymous.ToString());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("clientCertificate").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, await nobody.SecretAsync(lab.Tls, Ct, forged));
    }

    [Fact]
    public async Task TlsClientCertificate_AuthenticatesAsTheAppsNormalScheme_UnlessTheChannelIsVerified()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        using var verified = lab.Client(certificate: lab.Certificates.Alice());
        using var alice = lab.Client(CbbServerLab.Unprotected, lab.Certificates.Alice());
        using var mallory = lab.Client(CbbServerLab.Unprotected, lab.Certificates.Mallory());

        var v = await verified.WhoAmIAsync(lab.Tls, Ct);
        var a = await alice.WhoAmIAsync(lab.Tls, Ct);
        var m = await mallory.WhoAmIAsync(lab.Tls, Ct);

        // Over a flow no SA protects, the client CA's certificate is the app's normal credential.
        Assert.Equal(("Certificate", "alice", "CN=alice"),
            (a.GetProperty("scheme").GetString(), a.GetProperty("name").GetString(), a.GetProperty("clientCertificate").GetString()));
        Assert.False(a.GetProperty("ipsec").GetProperty("verified").GetBoolean());
        // Over a verified channel the IPsec scheme goes first (AddIpsecWhenVerified); she was still asked (no
        // --ipsec-principal) and sent her certificate.
        Assert.Equal(("Ipsec", "a.test", "CN=alice"),
            (v.GetProperty("scheme").GetString(), v.GetProperty("name").GetString(), v.GetProperty("clientCertificate").GetString()));
        // mallory's certificate reached the server (asked), and authenticates nobody: no CA of the app issued it.
        Assert.Equal("CN=mallory", m.GetProperty("clientCertificate").GetString());
        Assert.False(m.GetProperty("authenticated").GetBoolean(), m.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, await mallory.SecretAsync(lab.Tls, Ct));
    }

    [Fact]
    public async Task IpsecPrincipal_VerifiedClient_NotAskedForACertificate_OthersAre()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: true, Ct);
        using var verified = lab.Client(certificate: lab.Certificates.Alice());
        using var unprotected = lab.Client(CbbServerLab.Unprotected, lab.Certificates.Alice());

        var v = await verified.WhoAmIAsync(lab.Tls, Ct);
        var u = await unprotected.WhoAmIAsync(lab.Tls, Ct);

        // Not asked: the client had a certificate to give and none arrived; the IKE peer is the principal.
        Assert.Equal(JsonValueKind.Null, v.GetProperty("clientCertificate").ValueKind);
        Assert.Equal(("Ipsec", "a.test"), (v.GetProperty("scheme").GetString(), v.GetProperty("name").GetString()));
        Assert.True(v.GetProperty("tls").GetBoolean());
        // Control on the same server: a client whose flow no SA protects is asked, sends alice's and is alice.
        Assert.Equal("CN=alice", u.GetProperty("clientCertificate").GetString());
        Assert.Equal(("Certificate", "alice"), (u.GetProperty("scheme").GetString(), u.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task SaDeleted_OpenKeepAliveConnection_Aborted()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        using var client = lab.Client();
        var me = await client.WhoAmIAsync(lab.Plaintext, Ct);
        Assert.True(me.GetProperty("ipsec").GetProperty("verified").GetBoolean());
        var port = Assert.Single(client.Ports);
        var (outbound, inbound, _) = await lab.ServerChildAsync(Ct);
        Assert.False(CbbServerProcess.HasClosed(lab.Server, port));

        // The SAs go from B's kernel behind charon's back, as an operator's `ip xfrm state delete` would do it.
        var clock = Stopwatch.StartNew();
        using (var xfrm = XfrmClient.Open(lab.Pair.B.Namespace))
        {
            await xfrm.DeleteStateAsync(lab.Pair.A.Address, outbound, XfrmProtocol.Esp, Ct);
            await xfrm.DeleteStateAsync(lab.Pair.B.Address, inbound, XfrmProtocol.Esp, Ct);
        }

        var line = await CbbServerProcess.WaitForClosedAsync(lab.Server, port, AbortLimit);
        var delay = clock.Elapsed;
        Assert.Contains("channel lost True", line, StringComparison.Ordinal);
        Assert.DoesNotContain("latch Established", line, StringComparison.Ordinal);
        Console.WriteLine($"cbbserver-numbers: sa-delete-to-abort={delay.TotalMilliseconds:F0}ms");
    }

    [Fact]
    public async Task IkeSaTerminated_OpenKeepAliveConnection_Aborted_AndTheNextRequestIsNotServed()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        using var client = lab.Client();
        Assert.True((await client.WhoAmIAsync(lab.Plaintext, Ct)).GetProperty("ipsec").GetProperty("verified").GetBoolean());
        var port = Assert.Single(client.Ports);

        var clock = Stopwatch.StartNew();
        lab.Pair.A.Swanctl("--terminate", "--ike", "lab");

        var line = await CbbServerProcess.WaitForClosedAsync(lab.Server, port, AbortLimit);
        var delay = clock.Elapsed;
        Assert.Contains("channel lost True", line, StringComparison.Ordinal);
        // charon removed its policies with the SAs: the next request goes in clear on a new connection, and is refused.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.WhoAmIAsync(lab.Plaintext, Ct));
        Console.WriteLine($"cbbserver-numbers: ike-terminate-to-abort={delay.TotalMilliseconds:F0}ms");
    }

    [Fact]
    public async Task ChildRekey_OpenKeepAliveConnection_GoesOn()
    {
        RequireLab();
        await using var lab = await CbbServerLab.StartAsync(ipsecPrincipal: false, Ct);
        using var client = lab.Client();
        Assert.True((await client.WhoAmIAsync(lab.Plaintext, Ct)).GetProperty("ipsec").GetProperty("verified").GetBoolean());
        var port = Assert.Single(client.Ports);
        var old = await lab.ServerChildAsync(Ct);

        lab.Pair.A.Swanctl("--rekey", "--child", "lab");
        var clock = Stopwatch.StartNew();
        var now = old;
        while (now.Outbound == old.Outbound)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "charon did not rekey within 20 s\n" + lab.Log());
            await Task.Delay(100, Ct);
            try
            {
                now = await lab.ServerChildAsync(Ct);
            }
            catch (Xunit.Sdk.XunitException)
            {
                // both the old and the new child installed for a moment
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // the old SAs go after the new ones came: give a break time to show
        var after = await client.WhoAmIAsync(lab.Plaintext, Ct);

        Assert.Equal([port], client.Ports); // the same connection served it
        Assert.False(CbbServerProcess.HasClosed(lab.Server, port), lab.Log());
        Assert.True(after.GetProperty("ipsec").GetProperty("verified").GetBoolean(), after.ToString());
        Assert.Equal("a.test", after.GetProperty("name").GetString());
    }

    private static string Identity(JsonElement me) =>
        $"{me.GetProperty("authenticated")}|{me.GetProperty("scheme")}|{me.GetProperty("name")}|{me.GetProperty("claims")}|{me.GetProperty("clientCertificate")}";

    private static void RequireLab()
    {
        KernelEsp.Require();
        CharonLab.Require();
    }
}
