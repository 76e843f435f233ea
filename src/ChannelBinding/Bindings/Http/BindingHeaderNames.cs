using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings.Http;

/// <summary>
/// The HTTP header of each binding message (docs/binding-protocol.md, "HTTP encoding"). Each carries an RFC 8941
/// dictionary; the header name says which message it is. Identity-bearing: a proxy strips every one of them from a
/// client's request before it forwards the request.
/// </summary>
public static class BindingHeaderNames
{
    /// <summary>Request over TLS: the client's first-contact proof.</summary>
    public const string Bind = "CBB-Bind";

    /// <summary>Response over TLS: the server's first-contact answer.</summary>
    public const string BindResult = "CBB-Bind-Result";

    /// <summary>Response (or, client side, nothing: the client just does not use the binding): a refusal and its reason.</summary>
    public const string Error = "CBB-Error";

    /// <summary>Response with 401 on a plaintext endpoint: the challenge nonce.</summary>
    public const string Challenge = "CBB-Challenge";

    /// <summary>Request on a plaintext endpoint: the client's proof of the binding.</summary>
    public const string Resume = "CBB-Resume";

    /// <summary>Response on a plaintext endpoint: the server's proof.</summary>
    public const string ResumeResult = "CBB-Resume-Result";

    /// <summary>Response over TLS: the plaintext endpoint bound clients may use.</summary>
    public const string Plaintext = "CBB-Plaintext";

    /// <summary>The authentication scheme named in <c>WWW-Authenticate</c> with a 401 on a plaintext endpoint.</summary>
    public const string AuthenticationScheme = "CBB-IPsec";

    /// <summary>Every header above: what an edge proxy strips from client requests and responses it forwards.</summary>
    public static IReadOnlyList<string> All { get; } = [Bind, BindResult, Error, Challenge, Resume, ResumeResult, Plaintext];

    /// <summary>The header that carries a message type.</summary>
    public static string For(BindingMessageType type) => type switch
    {
        BindingMessageType.ClientFirstContact => Bind,
        BindingMessageType.ServerFirstContact => BindResult,
        BindingMessageType.Refusal => Error,
        BindingMessageType.Challenge => Challenge,
        BindingMessageType.ClientResume => Resume,
        BindingMessageType.ServerResume => ResumeResult,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown message type."),
    };
}
