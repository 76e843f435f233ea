using System.Net;
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

    public static async Task<TestKestrel> StartAsync(
        Action<IServiceCollection> services,
        IReadOnlyList<Action<ListenOptions>> endpoints,
        Action<WebApplication> app)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var endpoint in endpoints)
            {
                kestrel.Listen(IPAddress.Loopback, 0, endpoint);
            }
        });
        services(builder.Services);
        var web = builder.Build();
        app(web);
        await web.StartAsync();
        var addresses = web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new TestKestrel(web, addresses);
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
