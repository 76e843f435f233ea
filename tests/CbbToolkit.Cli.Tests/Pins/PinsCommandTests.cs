using System.Text.Json;
using CbbToolkit.Cli.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CbbToolkit.Cli.Tests.Pins;

/// <summary><c>cbb pins list|show|remove</c> as a process, on real pin stores made by the library.</summary>
public sealed class PinsCommandTests : IDisposable
{
    private readonly PinSeed _seed = new();

    public void Dispose() => _seed.Dispose();

    [Fact]
    public async Task List_Json_EveryPinWithItsFields_NoSecret()
    {
        await _seed.AddAsync("b.test:443", "A.Test:8443", "[2001:DB8::1]:443");
        var (code, stdout, _) = await RunAsync("pins", "list", "--store", _seed.StorePath, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(_seed.StorePath, root.GetProperty("store").GetString());
        Assert.Empty(root.GetProperty("damaged").EnumerateArray());
        var pins = root.GetProperty("pins").EnumerateArray().ToList();
        Assert.Equal(["[2001:db8::1]:443", "a.test:8443", "b.test:443"], pins.Select(p => p.GetProperty("authority").GetString()));
        foreach (var expected in _seed.Pinned)
        {
            var pin = pins.Single(p => p.GetProperty("authority").GetString() == expected.Authority);
            Assert.Equal(expected.SpkiHex, pin.GetProperty("serverSpkiSha256").GetString());
            Assert.Equal(expected.BindingId, pin.GetProperty("bindingId").GetString());
            Assert.Equal(1, pin.GetProperty("bindingVersion").GetInt32());
            Assert.False(pin.GetProperty("bindingExpired").GetBoolean());
            var server = pin.GetProperty("serverIpsec");
            Assert.True(server.GetProperty("authenticated").GetBoolean());
            Assert.Equal("pkix-trusted", server.GetProperty("method").GetString());
            Assert.Equal("server.test", server.GetProperty("ikeId").GetString());
            Assert.Equal(Convert.ToHexStringLower(PinSeed.ServerIpsec.PublicKeySha256.Span), server.GetProperty("publicKeySha256").GetString());
            Assert.Equal("null", pin.GetProperty("clientIpsec").GetProperty("method").GetString());
            Assert.Equal(JsonValueKind.Null, pin.GetProperty("clientIpsec").GetProperty("ikeId").ValueKind);
            Assert.True(DateTimeOffset.Parse(pin.GetProperty("bindingExpiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
            Assert.Equal(pin.GetProperty("pinnedAt").GetString(), pin.GetProperty("updatedAt").GetString());
        }

        AssertNoSecret(stdout);
    }

    [Fact]
    public async Task List_Text_OneRowPerPin()
    {
        await _seed.AddAsync("a.test:443", "b.test:443");
        var (code, stdout, _) = await RunAsync("pins", "list", "--store", _seed.StorePath);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("AUTHORITY", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("a.test:443", lines[1], StringComparison.Ordinal);
        Assert.Contains(_seed.Pinned[0].SpkiHex[..16], lines[1], StringComparison.Ordinal);
        Assert.Contains(_seed.Pinned[0].BindingId, lines[1], StringComparison.Ordinal);
        Assert.Contains("server.test", lines[1], StringComparison.Ordinal);
        AssertNoSecret(stdout);
    }

    [Fact]
    public async Task List_NoStore_ListsNothing_CreatesNothing()
    {
        var (code, stdout, stderr) = await RunAsync("pins", "list", "--store", _seed.StorePath, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Empty(json.RootElement.GetProperty("pins").EnumerateArray());
        Assert.Contains("no pin store", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_seed.StorePath));
    }

    [Fact]
    public void List_DefaultStore_IsUnderXdgConfigHome()
    {
        var config = Path.Combine(_seed.Directory, "config");
        var commandLine = CbbProcess.CommandLine("pins", "list", "--json");
        var stdout = Tool.Run(commandLine[0], commandLine[1..], environment: new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config });
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(Path.Combine(config, "cbb", "pins.db"), json.RootElement.GetProperty("store").GetString());
    }

    [Fact]
    public async Task List_DamagedPin_IsListedApart()
    {
        await _seed.AddAsync("a.test:443", "b.test:443");
        Damage("b.test:443");
        var (code, stdout, stderr) = await RunAsync("pins", "list", "--store", _seed.StorePath, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(["a.test:443"], json.RootElement.GetProperty("pins").EnumerateArray().Select(p => p.GetProperty("authority").GetString()));
        var damaged = Assert.Single(json.RootElement.GetProperty("damaged").EnumerateArray().ToList());
        Assert.Equal("b.test:443", damaged.GetProperty("authority").GetString());
        Assert.False(string.IsNullOrEmpty(damaged.GetProperty("problem").GetString()));
        Assert.Contains("cbb pins remove b.test:443", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Json_OnePin_MatchedCanonically()
    {
        await _seed.AddAsync("a.test:443", "[2001:db8::1]:443");
        var (code, stdout, _) = await RunAsync("pins", "show", "[2001:DB8:0:0::1]:443", "--store", _seed.StorePath, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("[2001:db8::1]:443", json.RootElement.GetProperty("authority").GetString());
        Assert.Equal(_seed.Pinned[1].BindingId, json.RootElement.GetProperty("bindingId").GetString());
        AssertNoSecret(stdout);
    }

    [Fact]
    public async Task Show_Text_NameValueLines()
    {
        await _seed.AddAsync("a.test:443");
        var (code, stdout, _) = await RunAsync("pins", "show", "A.TEST:443", "--store", _seed.StorePath);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("authority                a.test:443", lines[0]);
        Assert.Equal("server TLS SPKI SHA-256  " + _seed.Pinned[0].SpkiHex, lines[1]);
        Assert.Contains(lines, l => l.StartsWith("binding ", StringComparison.Ordinal) && l.Contains(_seed.Pinned[0].BindingId, StringComparison.Ordinal)
            && l.Contains("secret not shown", StringComparison.Ordinal));
        AssertNoSecret(stdout);
    }

    [Fact]
    public async Task Show_Unknown_Exit1()
    {
        await _seed.AddAsync("a.test:443");
        var (code, stdout, stderr) = await RunAsync("pins", "show", "b.test:443", "--store", _seed.StorePath);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("no pin for b.test:443", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_DamagedPin_Exit1_SaysHowToRecover()
    {
        await _seed.AddAsync("a.test:443");
        Damage("a.test:443");
        var (code, stdout, stderr) = await RunAsync("pins", "show", "a.test:443", "--store", _seed.StorePath);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("damaged", stderr, StringComparison.Ordinal);
        Assert.Contains("cbb pins remove a.test:443", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_IsDurable_ThenExit1WhenNothingLeft()
    {
        await _seed.AddAsync("a.test:443", "b.test:443");
        var (code, stdout, _) = await RunAsync("pins", "remove", "A.test:443", "--store", _seed.StorePath, "--json");
        Assert.Equal(0, code);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("a.test:443", json.RootElement.GetProperty("authority").GetString());
            Assert.True(json.RootElement.GetProperty("removed").GetBoolean());
        }

        using (var store = _seed.Open())
        {
            Assert.Null(store.Find("a.test:443"));
            Assert.NotNull(store.Find("b.test:443"));
        }

        var (again, _, stderr) = await RunAsync("pins", "remove", "a.test:443", "--store", _seed.StorePath);
        Assert.Equal(1, again);
        Assert.Contains("nothing removed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_DamagedPin_Works()
    {
        await _seed.AddAsync("a.test:443");
        Damage("a.test:443");
        var (code, stdout, _) = await RunAsync("pins", "remove", "a.test:443", "--store", _seed.StorePath);
        Assert.Equal(0, code);
        Assert.Contains("removed the pin of a.test:443", stdout, StringComparison.Ordinal);
        using var store = _seed.Open();
        Assert.Empty(store.DamagedPins);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("show", "a.test:443")]
    [InlineData("remove", "a.test:443")]
    public async Task StoreOpenToOthers_Exit1_NamesTheChmod_LeavesTheStore(params string[] command)
    {
        await _seed.AddAsync("a.test:443");
        File.SetUnixFileMode(_seed.StorePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var (code, stdout, stderr) = await RunAsync(["pins", .. command, "--store", _seed.StorePath]);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("chmod 600", stderr, StringComparison.Ordinal);
        File.SetUnixFileMode(_seed.StorePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var store = _seed.Open();
        Assert.NotNull(store.Find("a.test:443"));
    }

    [Fact]
    public async Task GarbageStore_Exit1_Untouched()
    {
        var garbage = System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096);
        await File.WriteAllBytesAsync(_seed.StorePath, garbage, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(_seed.StorePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (code, _, stderr) = await RunAsync("pins", "list", "--store", _seed.StorePath);
        Assert.Equal(1, code);
        Assert.Contains("is damaged", stderr, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(_seed.StorePath, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("show")] // no authority
    [InlineData("show", "a.test")] // no port
    [InlineData("show", "a.test:99999")]
    [InlineData("show", "a b:443")]
    [InlineData("remove", "[fe80::1%eth0]:443")]
    [InlineData("remove", "a.test:443", "b.test:443")] // one at a time
    [InlineData("list", "--store")] // no value
    [InlineData("list", "--bogus")]
    [InlineData("show", "a.test:443", "--store", "/tmp/")] // a directory, not a file
    public async Task BadInput_Exit2_WithUsage(params string[] command)
    {
        var (code, stdout, stderr) = await RunAsync(["pins", .. command]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("Usage:\n  cbb pins", stderr, StringComparison.Ordinal);
    }

    private void Damage(string authority)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _seed.StorePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE pins SET record = randomblob(64) WHERE authority = $a";
        command.Parameters.AddWithValue("$a", authority);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private void AssertNoSecret(string output)
    {
        foreach (var pinned in _seed.Pinned)
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(pinned.Secret), output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexStringLower(pinned.Secret.AsSpan(0, 8)), output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(pinned.Secret), output, StringComparison.Ordinal);
            Assert.DoesNotContain(System.Buffers.Text.Base64Url.EncodeToString(pinned.Secret), output, StringComparison.Ordinal);
        }
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
