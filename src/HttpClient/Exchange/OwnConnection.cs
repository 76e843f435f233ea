using System.Net;
using System.Net.Security;
using CbbToolkit.Http.Connections;

namespace CbbToolkit.Http.Exchange;

// A connection the handler opened for itself (first contact, or a bound connection), so that it knows exactly which
// connection carries a request: its TLS session (for the exporter) and its IPsec channel (for the proofs). Requests go
// over a SocketsHttpHandler that is handed this one stream and never opens another.
internal sealed class OwnConnection : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly Stream _stream;
    private int _handedOut;

    private OwnConnection(ConnectionStream connection, SslStream? tls)
    {
        Connection = connection;
        Tls = tls;
        _stream = (Stream?)tls ?? connection;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectCallback = HandOut,
        });
    }

    public ConnectionStream Connection { get; }

    public IpsecConnectionInfo Info => Connection.Info;

    public SslStream? Tls { get; }

    /// <summary>Whether this connection proved the binding (the server authenticates every later request on it).</summary>
    public bool IsBound { get; set; }

    /// <summary>Whether the connection was closed (by the server, or its latch broke) and cannot carry another request.</summary>
    public bool IsSpent => Connection.IsBroken || Volatile.Read(ref _handedOut) > 1;

    /// <summary>Opens a checked connection; with <paramref name="tls"/>, runs the TLS handshake over it (HTTP/1.1).</summary>
    public static async Task<OwnConnection> OpenAsync(IpsecChannelConnector connector, DnsEndPoint endPoint, SslClientAuthenticationOptions? tls,
        CancellationToken cancellationToken)
    {
        var connection = await connector.OpenAsync(endPoint, cancellationToken).ConfigureAwait(false);
        if (tls is null)
        {
            return new OwnConnection(connection, null);
        }

        var ssl = new SslStream(connection, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(tls, cancellationToken).ConfigureAwait(false);
            return new OwnConnection(connection, ssl);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends over this connection and buffers the body, so the connection is free for the next request.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // SocketsHttpHandler asks once; a second ask means the connection closed: there is no other to give.
    private ValueTask<Stream> HandOut(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _handedOut) == 1
            ? ValueTask.FromResult(_stream)
            : ValueTask.FromException<Stream>(new IOException($"The handler's own connection {Info.Flow} is closed."));

    public void Dispose()
    {
        _invoker.Dispose();
        if (Interlocked.Exchange(ref _handedOut, 2) == 0)
        {
            _stream.Dispose(); // never handed to SocketsHttpHandler, which would otherwise own it
        }
    }
}
