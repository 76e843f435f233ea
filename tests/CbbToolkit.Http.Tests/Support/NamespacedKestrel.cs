using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Http.Tests.Support;

// A real Kestrel listening on loopback inside a scratch network namespace. Its endpoints report what the request came
// with (TLS, protocol, client certificate, Authorization), so tests see what actually went over the wire.
public sealed class NamespacedKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private NamespacedKestrel(WebApplication app, ScratchNamespace ns, Uri baseUri)
    {
        _app = app;
        Namespace = ns;
        BaseUri = baseUri;
    }

    public ScratchNamespace Namespace { get; }

    public Uri BaseUri { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<NamespacedKestrel> StartAsync(ScratchNamespace ns, X509Certificate2? certificate = null,
        ClientCertificateMode clientCertificates = ClientCertificateMode.NoCertificate, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = ep =>
            NetworkNamespace.Run(ns.Name, () => SocketTransportOptions.CreateDefaultBoundListenSocket(ep)));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (certificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = clientCertificates,
                    ClientCertificateValidation = (_, _, _) => true, // the test's client certificate is self-signed
                });
            }
        }));
        var app = builder.Build();
        NamespacedKestrel? server = null;
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref server!._requests);
            await next(context);
        });
        app.MapGet("/whoami", (HttpContext c) => Results.Json(new WhoAmI(
            c.Request.IsHttps, c.Request.Protocol, c.Connection.ClientCertificate?.Subject, c.Request.Headers.Authorization.ToString(),
            c.Request.Host.Value ?? "")));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var port = new Uri(address).Port;
        server = new NamespacedKestrel(app, ns, new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}/"));
        return server;
    }

    // The client side's sockets, in the same namespace as the server.
    public Func<AddressFamily, Socket> SocketFactory => family => NetworkNamespace.Run(Namespace.Name, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
