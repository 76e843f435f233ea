using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// A server's challenge on one later connection: a fresh 32-octet nonce, kept with that connection, answered at most
/// once and within <see cref="BindingExchangeOptions.ChallengeLifetime"/>. Not a secret.
/// </summary>
public sealed class ResumeChallenge
{
    private int _used;

    internal ResumeChallenge(DateTimeOffset issuedAt)
    {
        Message = BindingMessage.Challenge(RandomNumberGenerator.GetBytes(BindingMessage.NonceLength));
        IssuedAt = issuedAt;
    }

    /// <summary>The challenge message to send to the client.</summary>
    public BindingMessage Message { get; }

    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Whether an answer has been checked against it (successfully or not).</summary>
    public bool IsUsed => Volatile.Read(ref _used) != 0;

    // True for the first caller only: a challenge is single use even when the answer fails.
    internal bool TryUse() => Interlocked.Exchange(ref _used, 1) == 0;
}
