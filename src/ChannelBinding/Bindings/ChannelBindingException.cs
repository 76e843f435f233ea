using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// A binding exchange or bound connection was refused. The caller falls back to TLS and its normal credentials, never to
/// less. <see cref="IpsecException.Error"/> is KeyRejected (the draft's EKEYREJECTED) for proof and binding failures,
/// BadMessage for malformed input, MessageTooLarge for oversized input, NotSupported for versions and exporters.
/// </summary>
public sealed class ChannelBindingException : IpsecException
{
    /// <summary>What every refusal's message ends with: the one thing a caller must do next.</summary>
    public const string FallbackAdvice = "Fall back to TLS and the normal credentials, never to less.";

    /// <summary>
    /// A refusal for <paramref name="reason"/>; the message says what happened, and <see cref="FallbackAdvice"/> is
    /// appended to it.
    /// </summary>
    public ChannelBindingException(BindingFailureReason reason, string message, BindingFailureReason? peerReason = null, Exception? innerException = null)
        : base(ErrorOf(reason), (message ?? string.Empty) + " " + FallbackAdvice, innerException)
    {
        Reason = reason;
        PeerReason = peerReason;
        Detail = message ?? string.Empty;
    }

    /// <summary>Why this side refused.</summary>
    public BindingFailureReason Reason { get; }

    /// <summary>When <see cref="Reason"/> is PeerRefused: the reason the peer sent.</summary>
    public BindingFailureReason? PeerReason { get; }

    // The message without the advice, for the log event (whose own text says it falls back).
    internal string Detail { get; }

    private static IpsecError ErrorOf(BindingFailureReason reason) => reason switch
    {
        BindingFailureReason.Malformed or BindingFailureReason.UnknownField or BindingFailureReason.UnexpectedMessage => IpsecError.BadMessage,
        BindingFailureReason.Oversized => IpsecError.MessageTooLarge,
        BindingFailureReason.UnsupportedVersion or BindingFailureReason.ExporterUnavailable => IpsecError.NotSupported,
        BindingFailureReason.ChannelNotVerified => IpsecError.NotConnected,
        _ => IpsecError.KeyRejected,
    };
}
