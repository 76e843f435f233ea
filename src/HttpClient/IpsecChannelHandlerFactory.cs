using CbbToolkit.Http.Connections;
using CbbToolkit.Http.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CbbToolkit.Http;

/// <summary>Builds the IPsec channel handler without dependency injection: <c>new HttpClient(IpsecChannelHandlerFactory.Create(o => ...))</c>.</summary>
public static class IpsecChannelHandlerFactory
{
    /// <summary>Creates a handler with the options <paramref name="configure"/> sets.</summary>
    /// <param name="configure">Sets the options.</param>
    /// <param name="logger">Where connection events go; null: nowhere.</param>
    /// <param name="metrics">The instruments; null: a shared meter.</param>
    /// <param name="configureSockets">Tunes both inner SocketsHttpHandlers (pool lifetimes, timeouts); their ConnectCallback stays the handler's.</param>
    /// <returns>The handler; the caller owns it (or the HttpClient it is given to).</returns>
    public static IpsecChannelHandler Create(Action<IpsecChannelOptions>? configure = null, ILogger? logger = null, IpsecHttpMetrics? metrics = null,
        Action<SocketsHttpHandler>? configureSockets = null)
    {
        var options = new IpsecChannelOptions();
        configure?.Invoke(options);
        return Create(options, logger, metrics, configureSockets);
    }

    /// <summary>Creates a handler with <paramref name="options"/>.</summary>
    /// <param name="options">The options (checked here: a bad value throws <see cref="ArgumentException"/>).</param>
    /// <param name="logger">Where connection events go; null: nowhere.</param>
    /// <param name="metrics">The instruments; null: a shared meter.</param>
    /// <param name="configureSockets">Tunes both inner SocketsHttpHandlers; their ConnectCallback stays the handler's.</param>
    /// <returns>The handler.</returns>
    public static IpsecChannelHandler Create(IpsecChannelOptions options, ILogger? logger = null, IpsecHttpMetrics? metrics = null,
        Action<SocketsHttpHandler>? configureSockets = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = IpsecChannelOptionsValidator.Problems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid IpsecChannelOptions: " + string.Join("; ", problems), nameof(options));
        }

        var connector = new IpsecChannelConnector(options, logger ?? NullLogger.Instance, metrics ?? new IpsecHttpMetrics());
        return new IpsecChannelHandler(Sockets(connector, configureSockets), Sockets(connector, configureSockets));
    }

    private static SocketsHttpHandler Sockets(IpsecChannelConnector connector, Action<SocketsHttpHandler>? configure)
    {
        var handler = new SocketsHttpHandler { UseProxy = false }; // a proxy would make the channel the proxy's, not the server's
        configure?.Invoke(handler);
        handler.ConnectCallback = connector.ConnectAsync;
        handler.UseProxy = false;
        return handler;
    }
}
