using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Tests.TestSupport;

/// <summary>Real Kestrel on 127.0.0.1, port 0, with endpoints and an app the test configures.</summary>
public sealed class TestKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestKestrel(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The bound addresses, in the order the endpoints were configured.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestKestrel> StartAsync(
        Action<IServiceCollection> services,
        IReadOnlyList<Action<ListenOptions>> endpoints,
        Action<WebApplication> app) => StartAsync((s, _) => services(s), endpoints, app);

    /// <summary>
    /// Starts with listen sockets bound to 127.0.0.1 port 0 before the host is built, so that the services can be
    /// configured with the ports (e.g. the plaintext port a TLS endpoint advertises).
    /// </summary>
    public static async Task<TestKestrel> StartAsync(
        Action<IServiceCollection, IReadOnlyList<int>> services,
        IReadOnlyList<Action<ListenOptions>> endpoints,
        Action<WebApplication> app)
    {
        var sockets = endpoints.Select(_ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }).ToList();
        var ports = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < endpoints.Count; i++)
            {
                // Kestrel takes the bound socket over (it owns the descriptor from here on).
                kestrel.ListenHandle((ulong)sockets[i].SafeHandle.DangerousGetHandle(), endpoints[i]);
            }
        });
        services(builder.Services, ports);
        var web = builder.Build();
        app(web);
        await web.StartAsync();
        var addresses = web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        GC.KeepAlive(sockets);
        return new TestKestrel(web, ports.Select(p => new Uri($"{(addresses.Any(a => a.Port == p && a.Scheme == "https") ? "https" : "http")}://127.0.0.1:{p}")).ToList());
    }

    /// <summary>A connection middleware that sets the channel feature the test chose for each accepted connection.</summary>
    public static void UseTestChannel(ListenOptions listen, Func<ConnectionContext, IIpsecChannelFeature?> channel) =>
        listen.Use(next => connection =>
        {
            if (channel(connection) is { } feature)
            {
                connection.Features.Set(feature);
            }

            return next(connection);
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
