using CbbToolkit.Http.Connections;
using CbbToolkit.Http.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CbbToolkit.Http;

/// <summary>
/// Builds the IPsec channel handler without dependency injection: <c>new HttpClient(IpsecChannelHandlerFactory.Create(o =>
/// o.Requirement = IpsecChannelRequirement.RequireProtected))</c>. The handler is an <see cref="IpsecChannelHandler"/>
/// over a SocketsHttpHandler whose ConnectCallback opens every connection (policy, connect, resolve, latch) and whose TLS
/// options are the app's.
/// </summary>
public static class IpsecChannelHandlerFactory
{
    /// <summary>Creates a handler with the options <paramref name="configure"/> sets.</summary>
    /// <param name="configure">Sets the options.</param>
    /// <param name="logger">Where connection events go; null: nowhere.</param>
    /// <param name="metrics">The instruments; null: a shared meter.</param>
    /// <returns>The handler; the caller owns it (or the HttpClient it is given to). Its <see cref="DelegatingHandler.InnerHandler"/>
    /// is the SocketsHttpHandler of the normal path, for settings such as pool lifetimes.</returns>
    public static IpsecChannelHandler Create(Action<IpsecChannelOptions>? configure = null, ILogger? logger = null, IpsecHttpMetrics? metrics = null)
    {
        var options = new IpsecChannelOptions();
        configure?.Invoke(options);
        var sockets = new SocketsHttpHandler();
        metrics ??= new IpsecHttpMetrics();
        logger ??= NullLogger.Instance;
        Configure(sockets, options, logger, metrics);
        return CreateOuter(options, logger, metrics, sockets);
    }

    /// <summary>The outer handler alone, over <paramref name="inner"/> (null: the pipeline sets it, as IHttpClientFactory does).</summary>
    internal static IpsecChannelHandler CreateOuter(IpsecChannelOptions options, ILogger? logger, IpsecHttpMetrics? metrics, HttpMessageHandler? inner) =>
        new(new Exchange.ExchangeRouter(options, logger ?? NullLogger.Instance, metrics ?? new IpsecHttpMetrics()), inner);

    /// <summary>
    /// Makes <paramref name="handler"/> the IPsec channel handler: sets its ConnectCallback and SslOptions and turns off
    /// proxies (through a proxy the channel would be the proxy's, not the server's). Other settings stay as they are.
    /// </summary>
    /// <param name="handler">The SocketsHttpHandler to configure.</param>
    /// <param name="options">The options (checked here: a bad value throws <see cref="ArgumentException"/>).</param>
    /// <param name="logger">Where connection events go; null: nowhere.</param>
    /// <param name="metrics">The instruments; null: a shared meter.</param>
    public static void Configure(SocketsHttpHandler handler, IpsecChannelOptions options, ILogger? logger = null, IpsecHttpMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        var problems = IpsecChannelOptionsValidator.Problems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid IpsecChannelOptions: " + string.Join("; ", problems), nameof(options));
        }

#pragma warning disable CA2000 // the pool's connector never reads SA keys (readsSaKeys: false), so it holds nothing to dispose
        var connector = new IpsecChannelConnector(options, logger ?? NullLogger.Instance, metrics ?? new IpsecHttpMetrics(), readsSaKeys: false);
#pragma warning restore CA2000
        handler.ConnectCallback = connector.ConnectAsync;
        handler.SslOptions = TlsCallbacks.Wrap(options.Tls, options.Pins);
        handler.UseProxy = false;
    }
}
