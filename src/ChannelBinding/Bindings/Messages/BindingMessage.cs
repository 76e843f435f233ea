namespace CbbToolkit.Channels.Bindings.Messages;

/// <summary>
/// One message of the binding protocol, independent of its encoding (binary in <see cref="BindingMessageCodec"/>,
/// HTTP structured fields in <c>Http.BindingHeaderCodec</c>). Create it with the factory for its type, which
/// enforces the fields that type requires; proofs, ids and nonces are public values (a proof reveals no secret).
/// </summary>
public sealed class BindingMessage
{
    /// <summary>Proof and nonce lengths in octets.</summary>
    public const int ProofLength = 32;

    /// <summary>The length of a challenge nonce in octets.</summary>
    public const int NonceLength = 32;

    /// <summary>The longest binding lifetime a message can carry, in seconds (about 68 years: a positive int32).</summary>
    public const uint MaxLifetimeSeconds = int.MaxValue;

    private BindingMessage(BindingMessageType type) => Type = type;

    /// <summary>The protocol version (always <see cref="BindingProtocolVersion.V1"/> for messages this library creates or accepts).</summary>
    public BindingProtocolVersion Version { get; private init; } = BindingProtocolVersion.V1;

    /// <summary>The message type.</summary>
    public BindingMessageType Type { get; }

    /// <summary>First contact: the IPsec binding values the proof covers; otherwise None.</summary>
    public IpsecBindingValues Covered { get; private init; }

    /// <summary>The proof (32 octets), or empty for refusals and challenges.</summary>
    public ReadOnlyMemory<byte> Proof { get; private init; }

    /// <summary>ServerFirstContact and ClientResume: the binding's id; otherwise the default value.</summary>
    public BindingId BindingId { get; private init; }

    /// <summary>ServerFirstContact: the binding's lifetime in seconds (1 to <see cref="MaxLifetimeSeconds"/>); otherwise 0.</summary>
    public uint LifetimeSeconds { get; private init; }

    /// <summary>Refusal: why.</summary>
    public BindingFailureReason? Reason { get; private init; }

    /// <summary>Challenge and ClientResume: the server's nonce (32 octets); otherwise empty.</summary>
    public ReadOnlyMemory<byte> Nonce { get; private init; }

    /// <summary>A first-contact proof from the client.</summary>
    public static BindingMessage ClientFirstContact(IpsecBindingValues covered, ReadOnlySpan<byte> proof) =>
        new(BindingMessageType.ClientFirstContact) { Covered = CheckCovered(covered), Proof = CheckLength(proof, ProofLength, nameof(proof)) };

    /// <summary>The server's first-contact answer.</summary>
    public static BindingMessage ServerFirstContact(IpsecBindingValues covered, BindingId id, uint lifetimeSeconds, ReadOnlySpan<byte> proof) =>
        new(BindingMessageType.ServerFirstContact)
        {
            Covered = CheckCovered(covered),
            BindingId = CheckId(id),
            LifetimeSeconds = lifetimeSeconds is > 0 and <= MaxLifetimeSeconds
                ? lifetimeSeconds
                : throw new ArgumentOutOfRangeException(nameof(lifetimeSeconds), lifetimeSeconds, $"A lifetime is 1 to {MaxLifetimeSeconds} seconds."),
            Proof = CheckLength(proof, ProofLength, nameof(proof)),
        };

    /// <summary>A refusal.</summary>
    public static BindingMessage Refusal(BindingFailureReason reason) =>
        new(BindingMessageType.Refusal)
        {
            Reason = BindingFailureReasons.IsSendable(reason)
                ? reason
                : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a reason a refusal can carry."),
        };

    /// <summary>A challenge carrying a fresh nonce.</summary>
    public static BindingMessage Challenge(ReadOnlySpan<byte> nonce) =>
        new(BindingMessageType.Challenge) { Nonce = CheckLength(nonce, NonceLength, nameof(nonce)) };

    /// <summary>A later connection's proof from the client.</summary>
    public static BindingMessage ClientResume(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> proof) =>
        new(BindingMessageType.ClientResume)
        {
            BindingId = CheckId(id),
            Nonce = CheckLength(nonce, NonceLength, nameof(nonce)),
            Proof = CheckLength(proof, ProofLength, nameof(proof)),
        };

    /// <summary>The server's answer to a verified later-connection proof.</summary>
    public static BindingMessage ServerResume(ReadOnlySpan<byte> proof) =>
        new(BindingMessageType.ServerResume) { Proof = CheckLength(proof, ProofLength, nameof(proof)) };

    /// <summary>The type and which fields are present; never prints proofs or nonces in full.</summary>
    public override string ToString() => Type switch
    {
        BindingMessageType.Refusal => $"BindingMessage {{ {Version}, Refusal, {Reason?.ToToken()} }}",
        _ => $"BindingMessage {{ {Version}, {Type}, Covered = {Covered}, Id = {BindingId}, Lifetime = {LifetimeSeconds} }}",
    };

    private static IpsecBindingValues CheckCovered(IpsecBindingValues covered) =>
        covered.HasFlag(IpsecBindingValues.SaBinding) && (covered & ~(IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256)) == 0
            ? covered
            : throw new ArgumentOutOfRangeException(nameof(covered), covered, "A proof always covers ipsec-sa-binding and may cover ipsec-end-point-sha256; nothing else.");

    private static BindingId CheckId(BindingId id) =>
        id.IsEmpty ? throw new ArgumentException("A binding id is required.", nameof(id)) : id;

    private static byte[] CheckLength(ReadOnlySpan<byte> value, int length, string name) =>
        value.Length == length ? value.ToArray() : throw new ArgumentException($"Exactly {length} octets, not {value.Length}.", name);
}
