using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Testing.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Connections;

/// <summary>
/// A real Kestrel listening on 127.0.0.1 inside a scratch network namespace (its listen socket created there), with
/// AddIpsecChannels following that namespace's kernel, and HttpClients whose sockets are made in the namespace too.
/// VICI points at a socket path that does not exist, so no peer is ever named.
/// </summary>
internal sealed class NetnsKestrel : IAsyncDisposable
{
    private readonly ScratchNamespace _ns;
    private readonly WebApplication _app;

    private NetnsKestrel(ScratchNamespace ns, WebApplication app, int port)
    {
        _ns = ns;
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public IServiceProvider Services => _app.Services;

    public string NamespaceName => _ns.Name;

    public static async Task<NetnsKestrel> StartAsync(Action<IpsecChannelEndpointOptions> endpoint, Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null, Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions>? listen = null)
    {
        var ns = ScratchNamespace.Create("cbbk-");
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddIpsecChannels(o => o.NetworkNamespace = ns.Name);
            builder.Services.Configure<ViciClientOptions>(o => o.SocketPath = "/nonexistent/charon.vici");
            builder.Services.Configure<SocketTransportOptions>(o =>
                o.CreateBoundListenSocket = ep => NetworkNamespace.Run(ns.Name, () => SocketTransportOptions.CreateDefaultBoundListenSocket(ep)));
            services?.Invoke(builder.Services);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
            {
                listen?.Invoke(l);
                l.UseIpsecChannel(endpoint);
            }));
            var app = builder.Build();
            app.MapGet("/", (HttpContext c) =>
            {
                var f = c.Features.Get<IIpsecChannelFeature>();
                return Results.Json(new ChannelAnswer(f?.Status.ToString(), f?.Reason, f?.Mode.ToString(), f?.Resolution?.Reason.ToString()));
            });
            map?.Invoke(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new NetnsKestrel(ns, app, new Uri(address).Port);
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>An HttpClient whose connections start in the namespace (HTTP/1.1 keep-alive, or h2c with <paramref name="http2"/>).</summary>
    public HttpClient Client(bool http2 = false)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = _ns.Tcp();
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(10) };
        if (http2)
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    /// <summary>A raw TCP connection from the namespace to the server.</summary>
    public async Task<Socket> ConnectRawAsync(CancellationToken ct)
    {
        var socket = _ns.Tcp();
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), ct);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ns.Dispose();
    }
}
