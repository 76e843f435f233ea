using System.Diagnostics.CodeAnalysis;

namespace CbbToolkit.Channels.Bindings;

/// <summary>The wire tokens of <see cref="BindingFailureReason"/> (HTTP encoding, logs and metrics tags).</summary>
public static class BindingFailureReasons
{
    private static readonly string[] s_tokens =
    [
        "", "malformed", "unknown-field", "oversized", "unsupported-version", "binding-required", "exporter-unavailable",
        "channel-not-verified", "binding-types-differ", "proof-mismatch", "unknown-binding", "expired", "identity-changed",
        "stale-challenge", "unexpected-message", "peer-refused",
    ];

    /// <summary>The token of a reason, e.g. <c>proof-mismatch</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For an undefined value.</exception>
    public static string ToToken(this BindingFailureReason reason) =>
        (byte)reason is > 0 and var i && i < s_tokens.Length
            ? s_tokens[i]
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Undefined binding failure reason.");

    /// <summary>The reason a token names; false for anything else.</summary>
    public static bool TryParseToken(string? token, [NotNullWhen(true)] out BindingFailureReason? reason)
    {
        var i = token is null ? -1 : Array.IndexOf(s_tokens, token, 1);
        reason = i > 0 ? (BindingFailureReason)i : null;
        return reason is not null;
    }

    /// <summary>Whether the value is defined and may be sent in a refusal (every reason but <see cref="BindingFailureReason.PeerRefused"/>).</summary>
    public static bool IsSendable(BindingFailureReason reason) =>
        Enum.IsDefined(reason) && reason != BindingFailureReason.PeerRefused;
}
