using System.Net;

namespace CbbToolkit.Http;

/// <summary>
/// The handler <c>AddIpsecChannel</c> installs: every connection is opened by its ConnectCallback (policy, connect,
/// resolve, latch, TLS). It owns two SocketsHttpHandlers so that connections it runs TLS on (https) and plain ones
/// (http) never share a pool.
/// </summary>
public sealed class IpsecChannelHandler : HttpMessageHandler
{
    private readonly HttpMessageInvoker _tls;
    private readonly HttpMessageInvoker _plain;

    internal IpsecChannelHandler(SocketsHttpHandler tls, SocketsHttpHandler plain)
    {
        TlsHandler = tls;
        PlainHandler = plain;
        _tls = new HttpMessageInvoker(tls, disposeHandler: true);
        _plain = new HttpMessageInvoker(plain, disposeHandler: true);
    }

    /// <summary>The SocketsHttpHandler that carries https requests (TLS run by the handler's ConnectCallback).</summary>
    public SocketsHttpHandler TlsHandler { get; }

    /// <summary>The SocketsHttpHandler that carries http requests.</summary>
    public SocketsHttpHandler PlainHandler { get; }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri.");
        if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
        {
            return await _plain.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // The inner handler sees http, so it does not wrap the stream in a second TLS; the ConnectCallback runs TLS.
        var http2 = request.Version.Major >= 2 && request.VersionPolicy != HttpVersionPolicy.RequestVersionOrLower;
        request.Options.Set(Connections.HandlerRequestOptions.TlsTargetHost, uri.IdnHost);
        request.Options.Set(Connections.HandlerRequestOptions.TlsHttpVersion, http2 ? HttpVersion.Version20 : HttpVersion.Version11);
        var originalVersion = request.Version;
        var originalPolicy = request.VersionPolicy;
        request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.Port }.Uri;
        var setHost = request.Headers.Host is null;
        if (setHost)
        {
            request.Headers.Host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}"; // not "host:443"
        }

        request.Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        try
        {
            return await _tls.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = uri; // the app sees the URL it sent
            request.Version = originalVersion;
            request.VersionPolicy = originalPolicy;
            if (setHost)
            {
                request.Headers.Host = null;
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tls.Dispose();
            _plain.Dispose();
        }

        base.Dispose(disposing);
    }
}
