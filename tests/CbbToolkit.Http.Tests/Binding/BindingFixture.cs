using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Diagnostics;
using CbbToolkit.Http.Tests.Support;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.Namespaces;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Http.Tests.Binding;

// One test's world: the Kestrel binding server in a scratch namespace, a real SqlitePinStore, a real latch database over
// the namespace's XFRM cache, and a client handler with binding on. Loopback has no IPsec: both ends' channel comes from
// the test seam (TestChannel, IpsecChannelOptions.BindingChannelSource), one SA pair's value unless a test says otherwise.
public sealed class BindingWorld : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cbb-http-bind-").FullName;
    private readonly X509Certificate2 _certificate;
    private XfrmStateCache _cache = null!;

    private BindingWorld(X509Certificate2 certificate, ScratchNamespace ns)
    {
        _certificate = certificate;
        Namespace = ns;
        Pins = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = Path.Combine(_folder, "pins.db") }));
    }

    public ScratchNamespace Namespace { get; }

    public BindingKestrel Server { get; private set; } = null!;

    public SqlitePinStore Pins { get; }

    public IpsecLatchDatabase Latches { get; private set; } = null!;

    public RecordingLogger Log { get; } = new();

    public RecordingMeters Meters { get; } = new();

    /// <summary>The SA pair's ipsec-sa-binding as the server sees it.</summary>
    public byte[] ServerSa { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The client's view of its channel for each connection (default: the same SA pair, latched).</summary>
    public Func<IpsecConnectionInfo, CbbToolkit.Channels.ChannelInfo?> ClientChannel { get; set; } = null!;

    public static async Task<BindingWorld> StartAsync(CertificateStore certificates, bool advertisePlaintext = true)
    {
        var world = new BindingWorld(certificates.Get("ecdsa-p256-sha256").Load(), ScratchNamespace.Create("cbbb-"));
        world.ClientChannel = _ => TestChannel.Client(world.ServerSa);
        world.Server = await BindingKestrel.StartAsync(world.Namespace, world._certificate, advertisePlaintext);
        world.Server.TlsChannel = () => TestChannel.Server(world.ServerSa);
        world.Server.PlaintextChannel = () => TestChannel.Server(world.ServerSa);
        world._cache = await XfrmStateCache.StartAsync(world.Namespace.Name);
        world.Latches = new IpsecLatchDatabase(new IpsecChannelResolver(world._cache));
        return world;
    }

    public HttpClient Client(bool allowLeapOfFaith = true, Action<IpsecChannelOptions>? configure = null)
    {
        var thumbprint = _certificate.Thumbprint;
        var handler = IpsecChannelHandlerFactory.Create(o =>
        {
            o.SocketFactory = Server.SocketFactory;
            o.Pins = Pins;
            o.Latches = Latches;
            o.UseBinding = true;
            o.AllowLeapOfFaith = allowLeapOfFaith;
            o.Tls = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, c, _, _) => c is X509Certificate2 x && x.Thumbprint == thumbprint,
            };
            o.BindingChannelSource = c => ClientChannel(c);
            configure?.Invoke(o);
        }, Log, new IpsecHttpMetrics(Meters));
        return new HttpClient(handler) { BaseAddress = Server.BaseUri };
    }

    /// <summary>GET <paramref name="path"/> with the app's normal credentials for <paramref name="user"/> (or none).</summary>
    public static async Task<(HttpResponseMessage Response, IpsecExchangeInfo Exchange, BoundWhoAmI WhoAmI)> GetAsync(HttpClient client, string path,
        string? user = "alice")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Test", user);
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var exchange = response.GetIpsecExchange() ?? throw new Xunit.Sdk.XunitException("The handler set no IpsecExchangeInfo.");
        var whoami = await response.Content.ReadFromJsonAsync<BoundWhoAmI>(TestContext.Current.CancellationToken)
            ?? throw new Xunit.Sdk.XunitException("No body.");
        // The app's request is left as the app made it, whatever the handler did on the wire.
        Assert.Equal(user is null ? null : "Test", request.Headers.Authorization?.Scheme);
        Assert.False(request.Headers.Contains("CBB-Bind"));
        Assert.False(request.Headers.Contains("CBB-Resume"));
        return (response, exchange, whoami);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Latches.DisposeAsync();
        await _cache.DisposeAsync();
        Pins.Dispose();
        Meters.Dispose();
        _certificate.Dispose();
        Namespace.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
