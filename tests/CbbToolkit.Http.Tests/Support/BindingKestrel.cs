using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Kestrel;
using CbbToolkit.Kestrel.Binding;
using CbbToolkit.Testing.Namespaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Http.Tests.Support;

// The Kestrel server end of the binding exchange (issue 6) on loopback inside a scratch namespace: a TLS endpoint that
// runs first contact (app.UseChannelBinding) and advertises a plaintext endpoint, where bound clients resume
// (AddChannelBinding). The app's normal credentials are "Authorization: Test NAME". Each connection's IPsec channel is
// the one the test chose (TestChannel). GET /whoami answers anyone, GET /secret only the authenticated.
public sealed class BindingKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _tlsConnections;
    private int _plainConnections;

    private BindingKestrel(WebApplication app, ScratchNamespace ns, int tlsPort, int plainPort)
    {
        _app = app;
        Namespace = ns;
        BaseUri = new Uri($"https://127.0.0.1:{tlsPort}/");
        PlaintextPort = plainPort;
    }

    public ScratchNamespace Namespace { get; }

    public Uri BaseUri { get; }

    public int PlaintextPort { get; }

    public string Authority => $"127.0.0.1:{BaseUri.Port}";

    public IServiceProvider Services => _app.Services;

    public int Requests => Volatile.Read(ref _requests);

    public int TlsConnections => Volatile.Read(ref _tlsConnections);

    public int PlaintextConnections => Volatile.Read(ref _plainConnections);

    /// <summary>The channel each new TLS connection gets.</summary>
    public Func<TestChannel?> TlsChannel { get; set; } = () => null;

    /// <summary>The channel each new plaintext connection gets.</summary>
    public Func<TestChannel?> PlaintextChannel { get; set; } = () => null;

    public Func<AddressFamily, Socket> SocketFactory => family => NetworkNamespace.Run(Namespace.Name, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    public static async Task<BindingKestrel> StartAsync(ScratchNamespace ns, X509Certificate2 certificate, bool advertisePlaintext = true)
    {
        var tlsSocket = Bound(ns);
        var plainSocket = Bound(ns);
        var tlsPort = ((IPEndPoint)tlsSocket.LocalEndPoint!).Port;
        var plainPort = ((IPEndPoint)plainSocket.LocalEndPoint!).Port;
        BindingKestrel? server = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel takes the bound sockets over (it owns the descriptors from here on).
            kestrel.ListenHandle((ulong)tlsSocket.SafeHandle.DangerousGetHandle(), listen =>
            {
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref server!._tlsConnections);
                    if (server.TlsChannel() is { } channel)
                    {
                        connection.Features.Set<IIpsecChannelFeature>(channel);
                    }

                    return next(connection);
                });
                listen.UseHttps(certificate);
            });
            kestrel.ListenHandle((ulong)plainSocket.SafeHandle.DangerousGetHandle(), listen => listen.Use(next => connection =>
            {
                Interlocked.Increment(ref server!._plainConnections);
                if (server.PlaintextChannel() is { } channel)
                {
                    connection.Features.Set<IIpsecChannelFeature>(channel);
                }

                return next(connection);
            }));
        });
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, NormalScheme>(NormalScheme.Name, _ => { })
            .AddChannelBinding()
            .AddIpsecWhenVerified(NormalScheme.Name);
        builder.Services.AddAuthorization();
        builder.Services.AddChannelBindingServer(o => o.PlaintextPort = advertisePlaintext ? plainPort : null);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref server!._requests);
            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseChannelBinding();
        app.MapGet("/whoami", (HttpContext c) => Results.Json(Describe(c)));
        app.MapGet("/secret", (HttpContext c) => Results.Json(Describe(c))).RequireAuthorization();
        server = new BindingKestrel(app, ns, tlsPort, plainPort);
        await app.StartAsync();
        GC.KeepAlive(tlsSocket);
        GC.KeepAlive(plainSocket);
        return server;
    }

    private static Socket Bound(ScratchNamespace ns) => NetworkNamespace.Run(ns.Name, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    });

    private static BoundWhoAmI Describe(HttpContext c) => new(
        c.User.Identity?.IsAuthenticated ?? false,
        c.User.Identity?.Name,
        c.User.Identity?.AuthenticationType,
        c.Request.IsHttps,
        c.Request.Headers.Authorization.ToString(),
        c.Features.Get<ITlsConnectionFeature>()?.ClientCertificate?.Subject,
        c.Features.Get<IChannelBindingFeature>()?.State.ToString());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Stands in for the app's normal scheme (JwtBearer...): "Authorization: Test NAME" authenticates NAME.
    private sealed class NormalScheme(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Normal";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Test ", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, header[5..])], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}

/// <summary>What the server saw: who the request authenticated as, over what, with which credentials.</summary>
public sealed record BoundWhoAmI(bool Authenticated, string? Name, string? Scheme, bool Tls, string Authorization, string? ClientCertificate, string? Binding);
