using System.Security.Authentication;
using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Http;

/// <summary>
/// What carried one request and its response, as the IPsec channel handler sent it: the URL actually used, the
/// connection (when the handler knows it), whether TLS and the app's credentials went out or were dropped because the
/// connection proved a binding, what the binding exchange and the pin store did, and any fallback. Set on every request
/// the handler sends (<see cref="HttpResponseMessageChannelExtensions.GetIpsecExchange(HttpResponseMessage)"/>), also
/// when the send fails (read it from the request then). Immutable.
/// </summary>
public sealed class IpsecExchangeInfo
{
    internal IpsecExchangeInfo(Uri requestedUri, Uri usedUri)
    {
        RequestedUri = requestedUri;
        UsedUri = usedUri;
    }

    /// <summary>The URL the app asked for.</summary>
    public Uri RequestedUri { get; }

    /// <summary>
    /// The URL the request actually went to: <see cref="RequestedUri"/>, or the server's plaintext endpoint
    /// (<c>http://</c>, the same IP address, the advertised port) when the request went over a bound plaintext connection.
    /// </summary>
    public Uri UsedUri { get; internal init; }

    /// <summary>
    /// The connection that carried the request, or <see langword="null"/> when the handler cannot tell: a request that
    /// reused a pooled connection of the normal TLS path (HTTP/1.1 keep-alive, HTTP/2 multiplexing; docs/httpclient.md
    /// "Limits"). Bound connections and first-contact connections are always known.
    /// </summary>
    public IpsecConnectionInfo? Connection { get; internal init; }

    /// <summary>Whether TLS carried the request (false on a bound plaintext connection and for http:// URLs).</summary>
    public bool UsedTls { get; internal init; }

    /// <summary>The TLS version, when TLS carried the request and the connection is known; otherwise <see cref="SslProtocols.None"/>.</summary>
    public SslProtocols TlsProtocol => Connection?.TlsProtocol ?? SslProtocols.None;

    /// <summary>Whether the request went out with an Authorization header.</summary>
    public bool AuthorizationSent { get; internal init; }

    /// <summary>
    /// Whether a TLS client certificate went out on the connection: from the handshake when the connection is known;
    /// otherwise whether the app's TLS options offer one (the server may not have asked for it).
    /// </summary>
    public bool ClientCertificateSent { get; internal init; }

    /// <summary>Whether an Authorization header or a client certificate went out (<c>credentialsSent</c> in <c>cbb http get --json</c>).</summary>
    public bool CredentialsSent => AuthorizationSent || ClientCertificateSent;

    /// <summary>Whether the handler left out credentials the app gave (Authorization header, client certificate) because the connection proved a binding.</summary>
    public bool CredentialsDropped { get; internal init; }

    /// <summary>Whether the handler left out TLS (the request went to the advertised plaintext endpoint) because the connection proved a binding.</summary>
    public bool TlsDropped { get; internal init; }

    /// <summary>What the binding exchange did for this request.</summary>
    public IpsecBindingState Binding { get; internal init; }

    /// <summary>
    /// Why <see cref="Binding"/> is what it is, or null for <see cref="IpsecBindingState.Created"/> and
    /// <see cref="IpsecBindingState.Used"/>: a protocol token (docs/binding-protocol.md section 7, e.g. <c>proof-mismatch</c>,
    /// <c>channel-not-verified</c>) when the exchange failed, or the handler's own: <c>binding-off</c>, <c>no-pin-store</c>,
    /// <c>not-https</c>, <c>no-credentials</c>, <c>not-pinned</c> (leap of faith not allowed), <c>not-offered</c> (the server
    /// answered without a binding), <c>no-plaintext-endpoint</c> (bound, but the server advertised no plaintext endpoint to
    /// resume on), <c>method-not-resumable</c> (a method with a body or not safe to send twice), <c>http2-required</c> (the
    /// request demands HTTP/2; the handler's own connections are HTTP/1.1), <c>not-challenged</c>, <c>unreachable</c>.
    /// </summary>
    public string? BindingReason { get; internal init; }

    /// <summary>The binding created or used, or null.</summary>
    public BindingId? BindingId { get; internal init; }

    /// <summary>What the pin store said, or did, about the server.</summary>
    public IpsecPinState Pin { get; internal init; }

    /// <summary>When the request was meant for a bound connection and went over TLS with the credentials instead: why. Otherwise null.</summary>
    public IpsecFallbackReason? Fallback { get; internal init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{UsedUri.GetLeftPart(UriPartial.Authority)}: {(UsedTls ? "TLS" : "no TLS")}, credentials {(CredentialsSent ? "sent" : CredentialsDropped ? "dropped" : "none")}, " +
        $"binding {Binding.ToToken()}{(BindingReason is null ? "" : $" ({BindingReason})")}, pin {Pin.ToToken()}" +
        $"{(Fallback is { } f ? $", fell back ({f.ToToken()})" : "")}{(Connection is { } c ? $", {c}" : "")}";
}
