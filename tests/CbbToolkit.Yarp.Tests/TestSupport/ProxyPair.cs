using System.Text.Json;
using CbbToolkit.Kestrel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CbbToolkit.Yarp.Tests.TestSupport;

/// <summary>
/// A real YARP proxy on Kestrel in front of a real Kestrel backend, both on loopback. The backend answers every path with
/// the request headers it received, as JSON; the proxy's config is YARP's own format, in memory.
/// </summary>
public sealed class ProxyPair : IAsyncDisposable
{
    private int _backendRequests;

    private ProxyPair()
    {
    }

    public LoopbackKestrel Backend { get; private set; } = null!;

    public LoopbackKestrel Proxy { get; private set; } = null!;

    /// <summary>The channel the proxy's connection middleware reports for each client connection.</summary>
    public Func<IIpsecChannelFeature?> Channel { get; set; } = () => null;

    /// <summary>The client's handler (e.g. TLS with a client certificate); null: a default one.</summary>
    public HttpMessageHandler? ClientHandler { get; set; }

    public int BackendRequests => Volatile.Read(ref _backendRequests);

    /// <summary>Routes /plain (no transform), /set, /sanitize, /append; clusters "backend" (plain YARP) plus <paramref name="extra"/>.</summary>
    /// <summary>The channel the backend's connection middleware reports for each connection from the proxy.</summary>
    public Func<IIpsecChannelFeature?> BackendChannel { get; set; } = () => null;

    public static async Task<ProxyPair> StartAsync(
        Action<IpsecProxyOptions>? options = null,
        Action<Dictionary<string, string?>, Uri>? extra = null,
        Action<ListenOptions>? listen = null,
        Action<Kestrel.Forwarding.ForwardedIdentityOptions>? backendForwarding = null)
    {
        var pair = new ProxyPair();
        pair.Backend = await LoopbackKestrel.StartAsync(
            _ => { },
            app =>
            {
                if (backendForwarding is not null)
                {
                    app.UseForwardedIpsecIdentity(backendForwarding);
                }

                app.Run(async c =>
                {
                    Interlocked.Increment(ref pair._backendRequests);
                    var headers = c.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToArray());
                    if (c.Features.Get<Kestrel.Forwarding.IForwardedIdentityFeature>() is { } forwarded)
                    {
                        headers["x-test-forwarded-by"] = [forwarded.ProxyId];
                    }

                    foreach (var line in c.Request.Headers["X-Test-Respond"])
                    {
                        // "Name: value": a response header the test wants the backend to send.
                        var colon = line!.IndexOf(':', StringComparison.Ordinal);
                        c.Response.Headers.Append(line[..colon], line[(colon + 1)..].Trim());
                    }

                    await c.Response.WriteAsync(JsonSerializer.Serialize(headers));
                });
            },
            l => l.Use(next => connection =>
            {
                if (pair.BackendChannel() is { } feature)
                {
                    connection.Features.Set(feature);
                }

                return next(connection);
            }));
        var config = Routes(pair.Backend.Address);
        extra?.Invoke(config, pair.Backend.Address);
        try
        {
            pair.Proxy = await LoopbackKestrel.StartAsync(
                b =>
                {
                    b.Configuration.AddInMemoryCollection(config);
                    b.Services.AddReverseProxy().LoadFromConfig(b.Configuration.GetSection("ReverseProxy")).AddIpsecChannelBinding(options);
                },
                app => app.MapReverseProxy(),
                l =>
                {
                    listen?.Invoke(l);
                    l.Use(next => connection =>
                    {
                        if (pair.Channel() is { } feature)
                        {
                            connection.Features.Set(feature);
                        }

                        return next(connection);
                    });
                });
        }
        catch
        {
            await pair.Backend.DisposeAsync();
            throw;
        }

        return pair;
    }

    /// <summary>Sends GET <paramref name="path"/> through the proxy with <paramref name="headers"/>; returns the backend's view.</summary>
    public async Task<(System.Net.HttpStatusCode Status, Dictionary<string, string[]>? Headers)> SendAsync(string path, params (string Name, string Value)[] headers)
    {
        using var client = ClientHandler is null ? new HttpClient() : new HttpClient(ClientHandler, disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Proxy.Address, path));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonSerializer.Deserialize<Dictionary<string, string[]>>(body));
    }

    public static Dictionary<string, string?> Routes(Uri backend)
    {
        var config = new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:backend:Destinations:d1:Address"] = backend.ToString(),
        };
        Route(config, "plain", "backend", null);
        Route(config, "set", "backend", "Set");
        Route(config, "sanitize", "backend", "Sanitize");
        Route(config, "append", "backend", "Append");
        return config;
    }

    public static void Route(Dictionary<string, string?> config, string name, string cluster, string? mode)
    {
        config[$"ReverseProxy:Routes:{name}:ClusterId"] = cluster;
        config[$"ReverseProxy:Routes:{name}:Match:Path"] = $"/{name}/{{**rest}}";
        if (mode is not null)
        {
            config[$"ReverseProxy:Routes:{name}:Transforms:0:IpsecIdentity"] = mode;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await Backend.DisposeAsync();
    }
}
