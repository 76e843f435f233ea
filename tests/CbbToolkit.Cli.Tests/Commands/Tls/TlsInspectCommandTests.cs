using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.Network;
using CbbToolkit.Testing.OpenSsl;
using Xunit;

namespace CbbToolkit.Cli.Tests.Commands.Tls;

/// <summary>
/// <c>cbb tls inspect</c> end to end on loopback: against <c>cbb tls serve</c> (both processes compute their own values)
/// and against <c>openssl s_server</c> (an implementation no one here wrote), plus its failures.
/// </summary>
public sealed class TlsInspectCommandTests
{
    private const int TestTimeout = 120_000;

    [Theory(Timeout = TestTimeout)]
    [InlineData("--tls13", "1.3")]
    [InlineData("--tls12", "1.2")]
    public async Task InspectAgainstServe_BothEndsPrintTheSameBindings(string flag, string version)
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", flag, "--count", "1", "--json");
        using var serverProcess = server;
        using var client = CbbProcess.Start("tls", "inspect", endPoint, "--insecure", "--json", flag);

        Assert.True(await client.WaitForExitAsync() == 0, client.Output());
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());
        var c = ChannelJson.Single(client.Stdout);
        var s = ChannelJson.Single(server.Stdout);

        Assert.Equal("client", c.Text("role"));
        Assert.Equal("server", s.Text("role"));
        Assert.Equal(version, c.Text("tlsVersion"));
        Assert.Equal(version, s.Text("tlsVersion"));
        Assert.Equal(c.Text("cipherSuite"), s.Text("cipherSuite"));
        Assert.Matches(version == "1.3" ? "^TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)$" : "^TLS_ECDHE_ECDSA_WITH_", c.Text("cipherSuite"));

        Assert.Equal(c.Hex("tlsExporter", 64), s.Hex("tlsExporter", 64));
        // ECDSA with SHA-256: RFC 5929 hashes the DER certificate with SHA-256, which OpenSSL's fingerprint is.
        Assert.Equal(certificate.CertificateSha256Hex, c.Hex("tlsServerEndPoint", 64));
        Assert.Equal(certificate.CertificateSha256Hex, s.Hex("tlsServerEndPoint", 64));
        if (version == "1.3")
        {
            Assert.Null(c.Text("tlsUnique"));
            Assert.Null(s.Text("tlsUnique"));
        }
        else
        {
            Assert.Equal(c.Hex("tlsUnique", 24), s.Hex("tlsUnique", 24));
        }

        Assert.True(c.GetProperty("extendedMasterSecret").GetBoolean());
        Assert.True(s.GetProperty("extendedMasterSecret").GetBoolean());
        Assert.Equal(certificate.CertificateSha256Hex, c.Hex("peerCertificateSha256", 64));
        Assert.Equal(certificate.SpkiSha256Hex, c.Hex("peerSpkiSha256", 64));
        Assert.Null(s.Text("peerCertificateSha256")); // No client certificate was asked for.
        Assert.Null(s.Text("peerSpkiSha256"));
        Assert.Equal(certificate.SpkiSha256Hex, s.Hex("localSpkiSha256", 64));
        Assert.Equal(endPoint, c.Text("remote"));
        Assert.Equal(c.Text("local"), s.Text("remote"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task TwoConnections_ExportersDifferAndEndPointIsKept()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", "--count", "2", "--json");
        using var serverProcess = server;
        var (code1, first) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--insecure", "--json");
        using var firstProcess = first;
        var (code2, second) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--insecure", "--json");
        using var secondProcess = second;
        Assert.True(code1 == 0 && code2 == 0, first.Output() + second.Output());
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());

        var lines = server.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        var c1 = ChannelJson.Single(first.Stdout);
        var c2 = ChannelJson.Single(second.Stdout);
        Assert.NotEqual(c1.Hex("tlsExporter", 64), c2.Hex("tlsExporter", 64));
        Assert.Equal(c1.Hex("tlsServerEndPoint", 64), c2.Hex("tlsServerEndPoint", 64));
        // The server printed each connection with the exporter its own client saw (matched by the client's port).
        foreach (var c in new[] { c1, c2 })
        {
            var s = Assert.Single(lines, l => l.Text("remote") == c.Text("local"));
            Assert.Equal(c.Text("tlsExporter"), s.Text("tlsExporter"));
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task InspectAgainstOpenSslServer_ExporterEqualsOpenSsls()
    {
        var openssl = OpenSslCli.Require();
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var port = FreePort.Next();
        // On TLS 1.3 the openssl CLI's exporter (no context) equals RFC 9266's (empty context); not so on 1.2.
        using var server = ChildProcess.Start(openssl,
            ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", certificate.CertificatePem, "-key", certificate.KeyPem,
             "-tls1_3", "-naccept", "1", "-keymatexport", "EXPORTER-Channel-Binding", "-keymatexportlen", "32"],
            keepStdinOpen: true);
        await server.WaitForStdoutAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal));

        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", $"127.0.0.1:{port}", "--insecure", "--json");
        using var clientProcess = client;
        Assert.True(code == 0, client.Output());
        var keying = await server.WaitForStdoutAsync(l => l.Contains("Keying material:", StringComparison.Ordinal));
        var opensslExporter = keying[(keying.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().ToLowerInvariant();

        var c = ChannelJson.Single(client.Stdout);
        Assert.Matches("^[0-9a-f]{64}$", opensslExporter);
        Assert.Equal(opensslExporter, c.Hex("tlsExporter", 64));
        Assert.Equal("1.3", c.Text("tlsVersion"));
        Assert.Equal(certificate.CertificateSha256Hex, c.Hex("tlsServerEndPoint", 64));
        // s_server printed "CIPHER is ..." before the keying material, so it is in the output already.
        var cipher = server.Stdout.Split('\n').Single(l => l.StartsWith("CIPHER is ", StringComparison.Ordinal));
        Assert.Equal(cipher["CIPHER is ".Length..].Trim(), c.Text("cipherSuite"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Ipv6Loopback_Works()
    {
        Skip.Unless(Socket.OSSupportsIPv6 && CanBindIpv6Loopback(), SkipCategory.NeedsIpv6, "IPv6 loopback (::1) is not available here.");
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "[::1]:0", "--count", "1", "--json");
        using var serverProcess = server;
        Assert.StartsWith("[::1]:", endPoint, StringComparison.Ordinal);
        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--json", "--insecure");
        using var clientProcess = client;
        Assert.True(code == 0, client.Output());
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());
        Assert.Equal(ChannelJson.Single(client.Stdout).Hex("tlsExporter", 64), ChannelJson.Single(server.Stdout).Hex("tlsExporter", 64));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task UntrustedCertificate_Exit1WithInsecureHint()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        // No --count: with TLS 1.3 the server may finish its handshake before the client refuses the certificate.
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", "--json");
        using var serverProcess = server;

        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--json");
        using var clientProcess = client;
        Assert.Equal(1, code);
        Assert.Empty(client.Stdout);
        Assert.Contains("certificate validation failed", client.Stderr, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", client.Stderr, StringComparison.Ordinal);
        Assert.Contains("use --insecure to inspect anyway", client.Stderr, StringComparison.Ordinal);

        var (again, insecure) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--json", "--insecure");
        using var insecureProcess = insecure;
        Assert.True(again == 0, insecure.Output());
        Assert.Contains("NOT validated", insecure.Stderr, StringComparison.Ordinal);
        Assert.Equal(64, ChannelJson.Single(insecure.Stdout).Hex("tlsExporter", 64).Length);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task NameMismatch_Exit1NamingTheName()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0");
        using var serverProcess = server;
        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--sni", "other.example");
        using var clientProcess = client;
        Assert.Equal(1, code);
        Assert.Contains("does not name 'other.example'", client.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RefusedPort_Exit1WithClearMessage()
    {
        using var closed = FreePort.BoundNotListening();
        var target = $"127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}";
        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", target);
        using var clientProcess = client;
        Assert.Equal(1, code);
        Assert.Empty(client.Stdout);
        Assert.Contains($"cannot connect to {target}: connection refused", client.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task SilentServer_Exit1AfterTimeout()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(1); // Accepts in the kernel, never answers the ClientHello.
        var target = $"127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}";
        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", target, "--timeout", "1");
        using var clientProcess = client;
        Assert.Equal(1, code);
        Assert.Contains($"no TLS handshake with {target} within 1 s", client.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task NotTls_Exit1WithHandshakeMessage()
    {
        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        plain.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        plain.Listen(1);
        var target = $"127.0.0.1:{((IPEndPoint)plain.LocalEndPoint!).Port}";
        using var client = CbbProcess.Start("tls", "inspect", target);
        using var accepted = await plain.AcceptAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(ChildProcess.DefaultTimeout, TestContext.Current.CancellationToken);
        await accepted.SendAsync("HTTP/1.0 400 Bad Request\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        accepted.Shutdown(SocketShutdown.Both);
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Contains($"TLS handshake with {target} failed", client.Stderr, StringComparison.Ordinal);
    }

    private static bool CanBindIpv6Loopback()
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
