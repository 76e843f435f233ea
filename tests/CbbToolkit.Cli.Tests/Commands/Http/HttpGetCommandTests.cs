using System.Security.Cryptography;
using System.Text.Json;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Testing.Certificates;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Cli.Tests.Commands.Http;

/// <summary>
/// <c>cbb http get</c> as a process against a real Kestrel on loopback: TLS by SslStream on both ends, the client through
/// the IPsec channel handler (no IPsec on loopback: the channel is reported unprotected), pins in a real SqlitePinStore.
/// </summary>
public sealed class HttpGetCommandTests : IDisposable
{
    private const int TestTimeout = 120_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("cbb-http-get-").FullName;
    private readonly OpenSslCertificate _server = OpenSslCertificate.CreateLocalhost();
    private readonly OpenSslCertificate _otherServer = OpenSslCertificate.CreateLocalhost();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StorePath => Path.Combine(_folder, "pins.db");

    [Theory(Timeout = TestTimeout)]
    [InlineData("URL", "http", "get")]
    [InlineData("absolute http:// or https:// URL", "http", "get", "ftp://example.org/")]
    [InlineData("absolute http:// or https:// URL", "http", "get", "example.org/path")]
    [InlineData("--cert and --key go together", "http", "get", "https://127.0.0.1:1/", "--cert", "c.pem")]
    [InlineData("--cert and --key go together", "http", "get", "https://127.0.0.1:1/", "--key", "k.pem")]
    [InlineData("--ca and --insecure cannot be used together", "http", "get", "https://127.0.0.1:1/", "--ca", "ca.pem", "--insecure")]
    [InlineData("--header takes \"Name: value\"", "http", "get", "https://127.0.0.1:1/", "--header", "no colon")]
    [InlineData("is not a header name", "http", "get", "https://127.0.0.1:1/", "--header", "Bad Name: x")]
    [InlineData("content header", "http", "get", "https://127.0.0.1:1/", "--header", "Content-Type: text/plain")]
    [InlineData("--timeout takes a whole number", "http", "get", "https://127.0.0.1:1/", "--timeout", "0")]
    [InlineData("Unrecognized", "http", "get", "https://127.0.0.1:1/", "--bogus")]
    public async Task UsageErrors_Exit2_OnStderrOnly(string message, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(arguments);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Json_ClientCertificate_SentAndSeenByTheServer_CredentialsSent()
    {
        var client = OpenSslCertificate.Create(_folder, "cbb-http-client", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256");
        using var server = await SampleServer.StartAsync(_server);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem,
            "--cert", client.CertificatePem, "--key", client.KeyPem, "--json");

        Assert.True(code == 0, stderr);
        var json = Parse(stdout);
        Assert.Equal(200, json.GetProperty("status").GetInt32());
        Assert.Equal("CN=cbb-http-client", Body(json).GetProperty("clientCertificate").GetString());
        Assert.True(json.GetProperty("tls").GetBoolean());
        Assert.Matches("^1\\.[23]$", json.GetProperty("tlsVersion").GetString()!);
        Assert.True(json.GetProperty("credentialsSent").GetBoolean());
        Assert.Equal(server.WhoAmI, json.GetProperty("url").GetString());
        AssertUnprotectedChannel(json);
        Assert.Equal("none", json.GetProperty("binding").GetProperty("state").GetString());
        Assert.Equal("none", json.GetProperty("pin").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("refused").ValueKind);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Json_NoCertificateNoAuthorization_NoCredentialsSent_ThenAuthorizationHeaderIsSent()
    {
        using var server = await SampleServer.StartAsync(_server);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem, "--json");
        Assert.True(code == 0, stderr);
        var bare = Parse(stdout);
        Assert.False(bare.GetProperty("credentialsSent").GetBoolean());
        Assert.Equal(JsonValueKind.Null, Body(bare).GetProperty("clientCertificate").ValueKind);

        (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem, "--json",
            "--header", "Authorization: Bearer cbb-test-token", "--header", "X-Extra: 1");
        Assert.True(code == 0, stderr);
        var authorized = Parse(stdout);
        Assert.True(authorized.GetProperty("credentialsSent").GetBoolean());
        Assert.Equal(200, authorized.GetProperty("status").GetInt32()); // the server answers anonymous callers too
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Trust_WithoutCa_Refused_WithCa_Accepted_WrongCa_Refused_Insecure_AcceptedWithWarning()
    {
        using var server = await SampleServer.StartAsync(_server);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--json");
        Assert.Equal(1, code);
        Assert.Contains("certificate validation failed", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);

        (code, _, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _otherServer.CertificatePem, "--json");
        Assert.Equal(1, code);
        Assert.Contains("certificate validation failed", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(200, Parse(stdout).GetProperty("status").GetInt32());
        Assert.DoesNotContain("warning", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--insecure", "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(200, Parse(stdout).GetProperty("status").GetInt32());
        Assert.Contains("warning: the server certificate was NOT validated (--insecure)", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Pins_Matched_ThenServerCertificateChanged_MismatchExit1NamingBothKeys()
    {
        var server = await SampleServer.StartAsync(_server);
        await PinAsync(server.Authority, _server.SpkiSha256Hex);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--insecure", "--pins", StorePath, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("matched", Parse(stdout).GetProperty("pin").GetProperty("state").GetString());

        // The same authority, now presenting another key.
        server.Dispose();
        server = await SampleServer.StartAsync(_otherServer, server.Port);
        using var restarted = server;
        (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--insecure", "--pins", StorePath, "--json");

        Assert.Equal(1, code);
        var json = Parse(stdout);
        Assert.Equal("mismatch", json.GetProperty("pin").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("body").ValueKind);
        Assert.StartsWith("pin mismatch", json.GetProperty("refused").GetString(), StringComparison.Ordinal);
        Assert.Contains("refused: pin mismatch", stderr, StringComparison.Ordinal);
        Assert.Contains(_server.SpkiSha256Hex, stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_otherServer.SpkiSha256Hex, stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"cbb pins remove {server.Authority} --store {StorePath}", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Pins_NotPinned_ReportedNone_StoreNotCreatedWithoutLeapOfFaith()
    {
        using var server = await SampleServer.StartAsync(_server);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem, "--pins", StorePath, "--json");

        Assert.True(code == 0, stderr);
        Assert.Equal("none", Parse(stdout).GetProperty("pin").GetProperty("state").GetString());
        Assert.False(File.Exists(StorePath));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RequireVerified_NoIpsecOnLoopback_RefusedExit1()
    {
        using var server = await SampleServer.StartAsync(_server);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem, "--require-verified",
            "--vici", Path.Combine(_folder, "no-charon.vici"), "--json");

        Assert.Equal(1, code);
        var json = Parse(stdout);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("status").ValueKind);
        Assert.False(json.GetProperty("channel").GetProperty("verified").GetBoolean());
        Assert.Equal("not-protected", json.GetProperty("channel").GetProperty("reason").GetString());
        Assert.Contains("refused: channel refused (not-protected)", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Text_SummaryThenBody()
    {
        using var server = await SampleServer.StartAsync(_server);
        await PinAsync(server.Authority, _server.SpkiSha256Hex);

        var (code, stdout, stderr) = await RunAsync("http", "get", server.WhoAmI, "--ca", _server.CertificatePem, "--pins", StorePath);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Matches("^response +200 OK$", lines[0]);
        Assert.Matches($"^url +{System.Text.RegularExpressions.Regex.Escape(server.WhoAmI)}$", lines[1]);
        Assert.Matches("^tls +TLS 1\\.[23]$", lines[2]);
        Assert.Matches("^credentials +none sent$", lines[3]);
        Assert.Matches("^channel +127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:\\d+: not protected by IPsec \\(.+\\)$", lines[4]);
        Assert.Matches("^binding +none", lines[5]);
        Assert.Matches("^pin +matched$", lines[6]);
        Assert.Equal("", lines[7]);
        using var body = JsonDocument.Parse(string.Join('\n', lines[8..]));
        Assert.True(body.RootElement.GetProperty("tls").GetBoolean());
    }

    public void Dispose()
    {
        _server.Dispose();
        _otherServer.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static JsonElement Body(JsonElement json)
    {
        using var document = JsonDocument.Parse(json.GetProperty("body").GetString()!);
        return document.RootElement.Clone();
    }

    private static void AssertUnprotectedChannel(JsonElement json)
    {
        var channel = json.GetProperty("channel");
        Assert.False(channel.GetProperty("verified").GetBoolean());
        Assert.False(string.IsNullOrEmpty(channel.GetProperty("reason").GetString())); // no-policy as root, no-privilege without
        Assert.Equal(JsonValueKind.Null, channel.GetProperty("outboundSpi").ValueKind);
        Assert.Equal(JsonValueKind.Null, channel.GetProperty("inboundSpi").ValueKind);
        Assert.Equal(JsonValueKind.Null, channel.GetProperty("peerId").ValueKind);
    }

    // A pin as first contact would have written it: the server's SPKI, no IPsec (loopback), a random binding.
    private async Task PinAsync(string authority, string spkiHex)
    {
        using var store = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = StorePath }));
        var now = DateTimeOffset.UtcNow;
        using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client,
            new BindingSecret(RandomNumberGenerator.GetBytes(BindingSecret.Length)), IpsecIdentity.Unauthenticated, IpsecIdentity.Unauthenticated,
            null, Convert.FromHexString(spkiHex), authority, now, now.AddHours(1));
        Assert.Equal(PinWriteOutcome.Pinned, await store.PinAsync(record, allowLeapOfFaith: true, Ct));
    }

    private static JsonElement Parse(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var document = JsonDocument.Parse(lines[0]);
        return document.RootElement.Clone();
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var (code, process) = await CbbProcess.RunAsync(arguments);
        using (process)
        {
            return (code, process.Stdout, process.Stderr);
        }
    }
}
