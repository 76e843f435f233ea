namespace CbbServer.Endpoints;

/// <summary>The JSON answer of GET /whoami: who the caller is to this server, and over what.</summary>
/// <param name="Authenticated">Whether any scheme authenticated the request.</param>
/// <param name="Scheme">The scheme that did (e.g. Certificate, Ipsec, ChannelBinding), or null.</param>
/// <param name="Name">The principal's name, or null.</param>
/// <param name="Claims">The principal's claims, type to value (the first value of a repeated type).</param>
/// <param name="Tls">Whether the connection is TLS.</param>
/// <param name="ClientCertificate">The subject of the TLS client certificate the client sent, or null (none asked, or none sent).</param>
/// <param name="Ipsec">The connection's IPsec channel.</param>
/// <param name="Binding">What the channel-binding exchange did on this request's connection.</param>
/// <param name="Forwarded">The identity a known proxy forwarded (<c>--known-proxy</c>), or null when none was accepted.</param>
public sealed record WhoAmIResponse(
    bool Authenticated,
    string? Scheme,
    string? Name,
    IReadOnlyDictionary<string, string> Claims,
    bool Tls,
    string? ClientCertificate,
    IpsecView Ipsec,
    BindingView Binding,
    ForwardedView? Forwarded);

/// <summary>The connection's IPsec channel as the connection middleware verified it (and its latch says now).</summary>
/// <param name="Verified">Verified now.</param>
/// <param name="Reason">Why not (the status and the middleware's words), or null.</param>
/// <param name="OutboundSpi">The outbound SA's SPI ("0x%08x"), or null when not protected.</param>
/// <param name="InboundSpi">The inbound SA's SPI, or null.</param>
/// <param name="PeerId">The IKE peer's identity, or null.</param>
/// <param name="PeerAuth">How IKE authenticated the peer (e.g. RawPublicKey, Certificate, Null), or null.</param>
public sealed record IpsecView(bool Verified, string? Reason, string? OutboundSpi, string? InboundSpi, string? PeerId, string? PeerAuth);

/// <summary>The channel binding of the request's connection.</summary>
/// <param name="Used">A binding proof authenticated this connection.</param>
/// <param name="Created">A binding was created on this connection (first contact over TLS).</param>
public sealed record BindingView(bool Used, bool Created);

/// <summary>What a known proxy said about its client, accepted because the proxy's own channel is verified.</summary>
/// <param name="Proxy">The proxy's IKE id (this connection's verified peer).</param>
/// <param name="Identity">The CBB-Identity header as sent (an RFC 8941 dictionary, docs/yarp.md), or null.</param>
/// <param name="ClientCertificate">The subject of the RFC 9440 Client-Cert the proxy forwarded, or null.</param>
public sealed record ForwardedView(string Proxy, string? Identity, string? ClientCertificate);
