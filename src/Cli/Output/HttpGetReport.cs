using System.Security.Authentication;
using CbbToolkit.Http;

namespace CbbToolkit.Cli.Output;

/// <summary>
/// What <c>cbb http get</c> prints: the response (or the refusal) and what carried the request, read from the handler's
/// <see cref="IpsecExchangeInfo"/>.
/// </summary>
internal sealed record HttpGetReport(Uri RequestedUrl, IpsecExchangeInfo? Exchange)
{
    /// <summary>The HTTP status, or null when no response came (refused).</summary>
    public int? Status { get; init; }

    /// <summary>The status's reason phrase, for the text summary.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The response body as text, or null when no response came.</summary>
    public string? Body { get; init; }

    /// <summary>Why the request was refused (pin mismatch, channel, binding), or null.</summary>
    public string? Refusal { get; init; }

    /// <summary>The handler's refusal of the connection, when that was it (the channel's reason then).</summary>
    public IpsecChannelRefusal? ChannelRefusal { get; init; }

    /// <summary>The URL actually used (the plaintext endpoint of a bound connection), or the one asked for.</summary>
    public Uri Url => Exchange?.UsedUri ?? RequestedUrl;

    /// <summary>Whether TLS carried the request.</summary>
    public bool Tls => Exchange?.UsedTls ?? RequestedUrl.Scheme == Uri.UriSchemeHttps;

    /// <summary>"1.2", "1.3", or null without TLS or when the connection is not known.</summary>
    public string? TlsVersion => Exchange?.TlsProtocol switch
    {
        SslProtocols.Tls12 => "1.2",
        SslProtocols.Tls13 => "1.3",
        _ => null,
    };

    /// <summary>Whether an Authorization header or a client certificate went out.</summary>
    public bool CredentialsSent => Exchange?.CredentialsSent ?? false;

    /// <summary>The connection, when the handler knows it.</summary>
    public IpsecConnectionInfo? Connection => Exchange?.Connection;

    /// <summary>Whether key management named an authenticated peer for the connection's SA pair.</summary>
    public bool Verified => Connection?.IsVerified ?? false;

    /// <summary>Why the channel is not verified (kebab case), or null when it is.</summary>
    public string? ChannelReason => ChannelRefusal is { } refusal
        ? XfrmNames.Kebab(refusal)
        : Connection switch
        {
            null => "connection-not-known",
            { IsVerified: true } => null,
            { Resolution.Channel: null } c => XfrmNames.Kebab(c.Resolution.Reason),
            { Resolution.Channel.PeerStatus: var status } when status != CbbToolkit.Ipsec.Resolution.IpsecPeerStatus.Known => "peer-" + XfrmNames.Kebab(status),
            _ => "peer-not-authenticated",
        };

    /// <summary>The binding state token: created, used, none or refused.</summary>
    public string BindingState => (Exchange?.Binding ?? IpsecBindingState.None).ToToken();

    /// <summary>Why the binding state is what it is, or null.</summary>
    public string? BindingReason => Exchange?.BindingReason;

    /// <summary>The pin state token: stored, matched, mismatch or none.</summary>
    public string PinState => (Exchange?.Pin ?? IpsecPinState.None).ToToken();
}
