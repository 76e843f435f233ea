namespace CbbToolkit.Channels.Bindings.Http;

/// <summary>The HTTP status a server answers a refused binding with (docs/binding-protocol.md, "Status codes").</summary>
public static class BindingHttpStatus
{
    /// <summary>
    /// On a plaintext endpoint: 401 (with a fresh challenge) when the request carries no proof or answers a stale
    /// challenge; 421 when the connection's IPsec channel is not verified now (this connection cannot be served in
    /// plaintext: use the TLS endpoint); 431 for an oversized header; 400 for a malformed or unknown one or another
    /// version; 403 for every proof or binding failure.
    /// </summary>
    public static int ForResumeRefusal(BindingFailureReason reason) => reason switch
    {
        BindingFailureReason.StaleChallenge or BindingFailureReason.BindingRequired => 401,
        BindingFailureReason.ChannelNotVerified => 421,
        BindingFailureReason.Oversized => 431,
        BindingFailureReason.Malformed or BindingFailureReason.UnknownField or BindingFailureReason.UnsupportedVersion
            or BindingFailureReason.UnexpectedMessage => 400,
        _ => 403,
    };
}
