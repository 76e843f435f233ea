using System.Collections.Concurrent;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Yarp.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace CbbToolkit.Yarp.Clusters;

/// <summary>
/// YARP's client factory, with each cluster's SocketsHttpHandler made an IPsec channel handler
/// (<see cref="IpsecChannelHandlerFactory"/>) from its <c>Cbb.*</c> metadata. A cluster without such metadata gets YARP's
/// plain client. The IPsec handler is made at the cluster's first request (<see cref="DeferredClusterHandler"/>); its
/// settings are checked when the configuration loads. A reload that changes neither YARP's client config nor the <c>Cbb.*</c> metadata keeps the cluster's
/// client and so its connections; one that changes them gets a new client while requests in flight finish on the old.
/// </summary>
internal sealed class IpsecForwarderHttpClientFactory : ForwarderHttpClientFactory, IDisposable
{
    private readonly IOptions<IpsecProxyOptions> _options;
    private readonly ILogger _logger;
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<string, SqlitePinStore> _pinStores = new(StringComparer.Ordinal);

    public IpsecForwarderHttpClientFactory(IOptions<IpsecProxyOptions> options, ILogger<ForwarderHttpClientFactory> logger, IServiceProvider services)
        : base(logger)
    {
        _options = options;
        _logger = logger;
        _services = services;
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

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        if (Parse(context.ClusterId, context.NewMetadata) is not { } cluster || handler is not SocketsHttpHandler yarps)
        {
            return base.WrapHandler(context, handler);
        }

        // Checked now, so that a bad cluster fails the load (start-up, or a reload YARP then rejects); made at the first
        // request, when the host has started what the latch database needs (YARP loads inside MapReverseProxy).
        var clusterId = context.ClusterId;
        Check(clusterId, cluster);
#pragma warning disable CA2000 // YARP's HttpMessageInvoker owns and disposes the handler chain it gets back
        return base.WrapHandler(context, new DeferredClusterHandler(yarps, () => Create(clusterId, cluster, yarps)));
#pragma warning restore CA2000
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

    private HttpMessageHandler Create(string clusterId, IpsecClusterOptions cluster, SocketsHttpHandler yarps)
    {
        var options = Options(clusterId, cluster, _services.GetService<IpsecLatchDatabase>());
        HttpMessageHandler created;
        if (!cluster.Bind)
        {
            IpsecChannelHandlerFactory.Configure(yarps, options, _logger);
            created = yarps;
        }
        else
        {
            // The binding exchange lives in the outer IpsecChannelHandler, which brings its own SocketsHttpHandler: give
            // it the settings YARP chose for this cluster and drop YARP's unused one.
            var bound = IpsecChannelHandlerFactory.Create(Copy(options), _logger);
            var inner = (SocketsHttpHandler)bound.InnerHandler!;
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
            created = bound;
        }

        YarpLog.ClusterChannelConfigured(_logger, clusterId, cluster.Require, cluster.Bind, options.Pins is not null);
        return created;
    }

    // The checks IpsecChannelHandlerFactory makes, before the latch database exists: a binding cluster needs one registered.
    private void Check(string clusterId, IpsecClusterOptions cluster)
    {
        var options = Options(clusterId, cluster, latches: null);
        var latchesRegistered = _services.GetService<IServiceProviderIsService>()?.IsService(typeof(IpsecLatchDatabase)) == true;
        if (options.UseBinding && !latchesRegistered)
        {
            throw new IpsecClusterConfigurationException(
                $"Cluster '{clusterId}': Cbb.Bind needs an IpsecLatchDatabase service (services.AddIpsecChannels() registers one).");
        }

        options.UseBinding &= options.Pins is null; // with Pins and a registered database, the binding settings are complete
        var result = new IpsecChannelOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new IpsecClusterConfigurationException($"Cluster '{clusterId}': the outbound channel options are invalid: {result.FailureMessage}");
        }
    }

    private IpsecChannelOptions Options(string clusterId, IpsecClusterOptions cluster, IpsecLatchDatabase? latches)
    {
        var options = new IpsecChannelOptions
        {
            Requirement = cluster.Require,
            PeerSource = _services.GetService<IIpsecPeerSource>(),
            Latches = latches,
            UseBinding = cluster.Bind,
            AllowLeapOfFaith = cluster.LeapOfFaith,
            Pins = cluster.Pins is { } path ? _pinStores.GetOrAdd(Path.GetFullPath(path), p => new SqlitePinStore(Microsoft.Extensions.Options.Options.Create(new PinStoreOptions { Path = p }))) : null,
        };
        _options.Value.ConfigureCluster?.Invoke(clusterId, options);
        return options;
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
