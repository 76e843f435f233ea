using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CbbToolkit.Ipsec.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Connections;

/// <summary>
/// Real Kestrel and HttpClient over the loopback of a scratch network namespace on the host kernel (no ESP there: every
/// flow is not protected). One collection: the metric assertions read the process-wide meter name.
/// </summary>
[Collection(nameof(IpsecChannelMiddlewareTests))]
public sealed class IpsecChannelMiddlewareTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Permissive_NotProtected_ReportedOnEveryRequestOfTheConnection()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Permissive);
        using var client = server.Client();

        var first = await client.GetFromJsonAsync<ChannelAnswer>("/", Ct);
        var second = await client.GetFromJsonAsync<ChannelAnswer>("/", Ct);

        Assert.Equal(nameof(IpsecChannelStatus.NotProtected), first!.Status);
        Assert.Equal(nameof(IpsecChannelMode.Permissive), first.Mode);
        Assert.Equal("NoPolicy", first.ResolutionReason);
        Assert.Contains("127.0.0.1", first.Reason, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Permissive_Http2_FeatureVisibleOnStreams()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Permissive,
            listen: l => l.Protocols = HttpProtocols.Http2);
        using var client = server.Client(http2: true);

        using var response = await client.GetAsync("/", Ct);
        var answer = await response.Content.ReadFromJsonAsync<ChannelAnswer>(Ct);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(nameof(IpsecChannelStatus.NotProtected), answer!.Status);
    }

    [Fact]
    public async Task Disabled_NotChecked()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Disabled);
        using var client = server.Client();

        var answer = await client.GetFromJsonAsync<ChannelAnswer>("/", Ct);

        Assert.Equal(nameof(IpsecChannelStatus.NotChecked), answer!.Status);
        Assert.Null(answer.ResolutionReason);
    }

    [Fact]
    public async Task Strict_NotProtected_ClosedWithoutAnyResponseAndCounted()
    {
        using var refused = new RefusedCounter();
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Strict);
        var received = await ConnectSendAndReadToEndAsync(server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Empty(received);
        Assert.Equal(1, refused.For(nameof(IpsecChannelStatus.NotProtected)));
        using var client = server.Client();
        // The reset may reach the client before or after SocketsHttpHandler wraps its connection: either way no response.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync("/", Ct));
        Assert.True(e is HttpRequestException or SocketException { SocketErrorCode: SocketError.NotConnected or SocketError.ConnectionReset }, e.ToString());
    }

    [Fact]
    public async Task CallbackThrows_ThatConnectionClosed_ServerKeepsAccepting()
    {
        var calls = 0;
        await using var server = await NetnsKestrel.StartAsync(o =>
        {
            o.Mode = IpsecChannelMode.Permissive;
            o.OnChannelChecked = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("test fault") : ValueTask.CompletedTask;
        });

        using (var failing = server.Client())
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => failing.GetAsync("/", Ct));
            Assert.True(e is HttpRequestException or SocketException { SocketErrorCode: SocketError.NotConnected or SocketError.ConnectionReset }, e.ToString());
        }

        for (var i = 0; i < 3; i++)
        {
            using var client = server.Client();
            var answer = await client.GetFromJsonAsync<ChannelAnswer>("/", Ct);
            Assert.Equal(nameof(IpsecChannelStatus.NotProtected), answer!.Status);
        }

        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task Diagnostics_ListsTheLiveConnection()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Permissive, app => app.MapIpsecDiagnostics("/_ipsec"));
        using var client = server.Client();

        using var doc = JsonDocument.Parse(await client.GetStringAsync("/_ipsec", Ct));

        var connection = Assert.Single(doc.RootElement.GetProperty("connections").EnumerateArray());
        Assert.Equal("NotProtected", connection.GetProperty("status").GetString());
        Assert.False(connection.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("channel").ValueKind);
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("latch").ValueKind);
        Assert.StartsWith("127.0.0.1:", connection.GetProperty("remote").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_KernelMirrored_ViciUnreachable_Degraded()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Permissive,
            services: s => s.AddHealthChecks().AddIpsecChannels());
        var health = server.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync(Ct);

        var entry = report.Entries["ipsec-channels"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Synchronized", entry.Data["cache"]);
        Assert.Contains("VICI", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenerPolicy_EspRequired_PlaintextSynNeverAccepted()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Permissive,
            listen: l => l.UseIpsecListenerPolicy(IpsecPolicy.Default));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1.5));
        var connect = server.ConnectRawAsync(timeout.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect);
    }

    /// <summary>
    /// Connects and sends; what came back. The kernel completes the handshake before Kestrel accepts, so the server's
    /// abort can reset the connection before the runtime has seen the connect complete: that too is "nothing answered".
    /// </summary>
    private static async Task<byte[]> ConnectSendAndReadToEndAsync(NetnsKestrel server, string request)
    {
        Socket socket;
        try
        {
            socket = await server.ConnectRawAsync(Ct);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
        {
            return [];
        }

        using (socket)
        {
            return await SendAndReadToEndAsync(socket, request);
        }
    }

    private static async Task<byte[]> SendAndReadToEndAsync(Socket socket, string request)
    {
        var buffer = new byte[4096];
        using var all = new MemoryStream();
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), Ct);
            int n;
            while ((n = await socket.ReceiveAsync(buffer, Ct)) > 0)
            {
                all.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.NotConnected or SocketError.Shutdown)
        {
            // the server's abort reset the connection (before or after the request went out): nothing was answered
        }

        return all.ToArray();
    }

    /// <summary>Counts cbb.kestrel.connections with outcome=refused, by status.</summary>
    private sealed class RefusedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public RefusedCounter()
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == IpsecChannelMetrics.MeterName && i.Name == "cbb.kestrel.connections")
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? outcome = null, status = null;
                foreach (var t in tags)
                {
                    outcome = t.Key == "outcome" ? (string?)t.Value : outcome;
                    status = t.Key == "status" ? (string?)t.Value : status;
                }

                if (outcome == "refused" && status is not null)
                {
                    lock (_counts)
                    {
                        _counts[status] = _counts.GetValueOrDefault(status) + value;
                    }
                }
            });
            _listener.Start();
        }

        public long For(string status)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(status);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
