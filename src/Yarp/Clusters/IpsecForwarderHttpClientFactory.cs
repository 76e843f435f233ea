using System.Collections.Concurrent;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Yarp.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace CbbToolkit.Yarp.Clusters;

/// <summary>
/// YARP's client factory, with each cluster's SocketsHttpHandler made an IPsec channel handler
/// (<see cref="IpsecChannelHandlerFactory"/>) from its <c>Cbb.*</c> metadata. A cluster without such metadata gets YARP's
/// plain client. A reload that changes neither YARP's client config nor the <c>Cbb.*</c> metadata keeps the cluster's
/// client and so its connections; one that changes them gets a new client while requests in flight finish on the old.
/// </summary>
internal sealed class IpsecForwarderHttpClientFactory : ForwarderHttpClientFactory, IDisposable
{
    private readonly IOptions<IpsecProxyOptions> _options;
    private readonly ILogger _logger;
    private readonly IIpsecPeerSource? _peers;
    private readonly IpsecLatchDatabase? _latches;
    private readonly ConcurrentDictionary<string, SqlitePinStore> _pinStores = new(StringComparer.Ordinal);

    public IpsecForwarderHttpClientFactory(
        IOptions<IpsecProxyOptions> options,
        ILogger<ForwarderHttpClientFactory> logger,
        IIpsecPeerSource? peers = null,
        IpsecLatchDatabase? latches = null)
        : base(logger)
    {
        _options = options;
        _logger = logger;
        _peers = peers;
        _latches = latches;
    }

    protected override bool CanReuseOldClient(ForwarderHttpClientContext context)
    {
        var reuse = base.CanReuseOldClient(context)
            && Equals(Parse(context.ClusterId, context.OldMetadata), Parse(context.ClusterId, context.NewMetadata));
        if (reuse)
        {
            YarpLog.ClusterClientReused(_logger, context.ClusterId);
        }

        return reuse;
    }

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (Parse(context.ClusterId, context.NewMetadata) is not { Bind: false } cluster)
        {
            return; // plain YARP, or a bound cluster: its handler is made in WrapHandler
        }

        Configure(context.ClusterId, cluster, o => IpsecChannelHandlerFactory.Configure(handler, o, _logger));
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        if (Parse(context.ClusterId, context.NewMetadata) is not { Bind: true } cluster || handler is not SocketsHttpHandler yarps)
        {
            return base.WrapHandler(context, handler);
        }

        // The binding exchange lives in the outer IpsecChannelHandler, which brings its own SocketsHttpHandler: give it
        // the settings YARP chose for this cluster and drop YARP's unused one.
        IpsecChannelHandler? bound = null;
        Configure(context.ClusterId, cluster, o => bound = IpsecChannelHandlerFactory.Create(Copy(o), _logger));
        var inner = (SocketsHttpHandler)bound!.InnerHandler!;
        inner.AllowAutoRedirect = yarps.AllowAutoRedirect;
        inner.AutomaticDecompression = yarps.AutomaticDecompression;
        inner.UseCookies = yarps.UseCookies;
        inner.EnableMultipleHttp2Connections = yarps.EnableMultipleHttp2Connections;
        inner.ActivityHeadersPropagator = yarps.ActivityHeadersPropagator;
        inner.ConnectTimeout = yarps.ConnectTimeout;
        inner.MaxConnectionsPerServer = yarps.MaxConnectionsPerServer;
        inner.PooledConnectionIdleTimeout = yarps.PooledConnectionIdleTimeout;
        inner.MaxResponseHeadersLength = yarps.MaxResponseHeadersLength;
        yarps.Dispose();
        return base.WrapHandler(context, bound);
    }

    public void Dispose()
    {
        foreach (var store in _pinStores.Values)
        {
            store.Dispose();
        }
    }

    private static IpsecClusterOptions? Parse(string clusterId, IReadOnlyDictionary<string, string>? metadata) =>
        IpsecClusterMetadata.Parse(clusterId, metadata);

    private void Configure(string clusterId, IpsecClusterOptions cluster, Action<IpsecChannelOptions> apply)
    {
        var options = new IpsecChannelOptions
        {
            Requirement = cluster.Require,
            PeerSource = _peers,
            Latches = _latches,
            UseBinding = cluster.Bind,
            AllowLeapOfFaith = cluster.LeapOfFaith,
            Pins = cluster.Pins is { } path ? _pinStores.GetOrAdd(Path.GetFullPath(path), p => new SqlitePinStore(Options.Create(new PinStoreOptions { Path = p }))) : null,
        };
        _options.Value.ConfigureCluster?.Invoke(clusterId, options);
        try
        {
            apply(options);
        }
        catch (ArgumentException e)
        {
            throw new IpsecClusterConfigurationException($"Cluster '{clusterId}': the outbound channel options are invalid: {e.Message}", e);
        }

        YarpLog.ClusterChannelConfigured(_logger, clusterId, cluster.Require, cluster.Bind, options.Pins is not null);
    }

    // Create takes a configure callback: hand it the options already filled in.
    private static Action<IpsecChannelOptions> Copy(IpsecChannelOptions from) => to =>
    {
        to.Requirement = from.Requirement;
        to.Policy = from.Policy;
        to.KeyManagementTimeout = from.KeyManagementTimeout;
        to.Tls = from.Tls;
        to.PeerSource = from.PeerSource;
        to.Latches = from.Latches;
        to.Pins = from.Pins;
        to.AllowLeapOfFaith = from.AllowLeapOfFaith;
        to.UseBinding = from.UseBinding;
        to.NetworkNamespace = from.NetworkNamespace;
        to.SocketFactory = from.SocketFactory;
        to.TimeProvider = from.TimeProvider;
    };
}
