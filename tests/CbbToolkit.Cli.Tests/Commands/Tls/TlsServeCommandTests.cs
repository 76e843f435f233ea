using System.Net;
using System.Net.Sockets;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.OpenSsl;
using Xunit;

namespace CbbToolkit.Cli.Tests.Commands.Tls;

/// <summary>
/// <c>cbb tls serve</c> end to end on loopback: against <c>openssl s_client</c>, with hostile and stalled clients,
/// and its stop and start-up failures.
/// </summary>
public sealed class TlsServeCommandTests
{
    private const int TestTimeout = 120_000;
    private const int SigTerm = 15;

    [Fact(Timeout = TestTimeout)]
    public async Task OpenSslClient_ExporterEqualsOpenSsls()
    {
        var openssl = OpenSslCli.Require();
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", "--count", "1", "--json");
        using var serverProcess = server;

        // On TLS 1.3 the openssl CLI's exporter (no context) equals RFC 9266's (empty context); not so on 1.2.
        using var client = ChildProcess.Start(openssl,
            ["s_client", "-connect", endPoint, "-servername", "localhost", "-tls1_3",
             "-keymatexport", "EXPORTER-Channel-Binding", "-keymatexportlen", "32"]);
        var keying = await client.WaitForStdoutAsync(l => l.Contains("Keying material:", StringComparison.Ordinal));
        var opensslExporter = keying[(keying.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().ToLowerInvariant();
        await client.WaitForExitAsync();
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());

        var s = ChannelJson.Single(server.Stdout);
        Assert.Matches("^[0-9a-f]{64}$", opensslExporter);
        Assert.Equal(opensslExporter, s.Hex("tlsExporter", 64));
        Assert.Equal("1.3", s.Text("tlsVersion"));
        Assert.Equal("localhost", s.Text("serverName")); // The SNI s_client sent.
        Assert.Null(s.Text("tlsUnique"));
        Assert.Equal(certificate.CertificateSha256Hex, s.Hex("tlsServerEndPoint", 64));
        Assert.Equal(certificate.CertificateSha256Hex, s.Hex("localCertificateSha256", 64));
        Assert.Null(s.Text("peerCertificateSha256"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task GarbageHandshake_IsReportedAndServingGoesOn()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", "--count", "1", "--json");
        using var serverProcess = server;

        using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await garbage.ConnectAsync(IPEndPoint.Parse(endPoint), TestContext.Current.CancellationToken);
            await garbage.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            await server.WaitForStderrAsync(l => l.Contains("TLS handshake failed", StringComparison.Ordinal));
        }

        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--insecure", "--json");
        using var clientProcess = client;
        Assert.True(code == 0, client.Output());
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());
        Assert.Equal(ChannelJson.Single(client.Stdout).Hex("tlsExporter", 64), ChannelJson.Single(server.Stdout).Hex("tlsExporter", 64));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task StalledClient_DoesNotHoldUpOthers()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        // The stalled connection would hold a one-at-a-time server for 60 s; the test's waits give up after 30 s.
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", "--count", "1", "--json", "--timeout", "60");
        using var serverProcess = server;
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stalled.ConnectAsync(IPEndPoint.Parse(endPoint), TestContext.Current.CancellationToken);

        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--insecure", "--json");
        using var clientProcess = client;
        Assert.True(code == 0, client.Output());
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());
        Assert.Single(server.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task TextOutput_IsAlignedAndNamesTheBindings()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, endPoint) = await CbbServer.StartAsync(certificate, "127.0.0.1:0", "--count", "1", "--tls13");
        using var serverProcess = server;
        var (code, client) = await CbbProcess.RunAsync("tls", "inspect", endPoint, "--insecure");
        using var clientProcess = client;
        Assert.True(code == 0, client.Output());
        Assert.True(await server.WaitForExitAsync() == 0, server.Output());

        var lines = client.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches("^[a-z0-9-]+ +\\S", l));
        var valueColumns = lines.Select(l => l.IndexOf(' ', StringComparison.Ordinal)).Select((space, i) => space + lines[i][space..].TakeWhile(ch => ch == ' ').Count());
        Assert.Single(valueColumns.Distinct()); // Every value starts in the same column.
        Assert.Contains(lines, l => l.StartsWith("tls-unique ", StringComparison.Ordinal) && l.Contains("undefined for TLS 1.3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tls-exporter ", StringComparison.Ordinal));
        Assert.StartsWith("connection 1", server.Stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task SigTerm_StopsCleanlyWithExit0()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        var (server, _) = await CbbServer.StartAsync(certificate, "127.0.0.1:0");
        using var serverProcess = server;
        server.Signal(SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Contains("stopped after 0 connection(s)", server.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PortInUse_Exit1WithHint()
    {
        using var certificate = OpenSslCertificate.CreateLocalhost();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var (code, server) = await CbbProcess.RunAsync("tls", "serve", "--listen", taken.LocalEndPoint!.ToString()!,
            "--cert", certificate.CertificatePem, "--key", certificate.KeyPem);
        using var serverProcess = server;
        Assert.Equal(1, code);
        Assert.Contains("cannot listen on", server.Stderr, StringComparison.Ordinal);
        Assert.Contains("pick another port", server.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task KeyOfAnotherCertificate_Exit1()
    {
        using var one = OpenSslCertificate.CreateLocalhost();
        using var other = OpenSslCertificate.CreateLocalhost();
        var (code, server) = await CbbProcess.RunAsync("tls", "serve", "--listen", "127.0.0.1:0", "--cert", one.CertificatePem, "--key", other.KeyPem);
        using var serverProcess = server;
        Assert.Equal(1, code);
        Assert.Contains("cannot load the certificate", server.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task MissingCertificateFile_Exit1NamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"cbb-missing-{Guid.NewGuid():N}.pem");
        var (code, server) = await CbbProcess.RunAsync("tls", "serve", "--listen", "127.0.0.1:0", "--cert", missing, "--key", missing);
        using var serverProcess = server;
        Assert.Equal(1, code);
        Assert.Contains($"cannot read '{missing}'", server.Stderr, StringComparison.Ordinal);
    }
}
