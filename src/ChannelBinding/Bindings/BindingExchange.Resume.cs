using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Bindings.Proofs;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Channels.Bindings;

public sealed partial class BindingExchange
{
    /// <summary>Server, later connection: a fresh challenge to keep with this connection and send to the client.</summary>
    public ResumeChallenge IssueChallenge() => new(_time.GetUtcNow());

    /// <summary>
    /// Client, later connection: proves possession of the binding secret over this connection's own ipsec-sa-binding,
    /// 5-tuple and the server's nonce.
    /// </summary>
    /// <param name="record">The client's binding for this server.</param>
    /// <param name="challenge">The server's Challenge message (a Refusal is reported as PeerRefused).</param>
    /// <param name="ipsecChannel">This end's IPsec channel information for the connection, computed now: ipsec-sa-binding and an
    /// Established latch state required.</param>
    /// <param name="flow">The connection's 5-tuple as this end sees it.</param>
    /// <exception cref="ChannelBindingException">PeerRefused, UnexpectedMessage, ChannelNotVerified, Expired or IdentityChanged.</exception>
    public ClientResume BeginClientResume(ChannelBindingRecord record, BindingMessage challenge, ChannelInfo ipsecChannel, IpsecFlow flow)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(ipsecChannel);
        ArgumentNullException.ThrowIfNull(flow);
        const ChannelRole role = ChannelRole.Client;
        ExpectMessage(role, challenge, BindingMessageType.Challenge);
        var values = ReadChannel(ipsecChannel, role, BindingStage.Resume);
        CheckRecord(role, record, IpsecIdentity.FromPeer(ipsecChannel), record.ServerIpsecIdentity);
        var flowBytes = new byte[FlowEncoding.Length];
        FlowEncoding.Write(flow, role, flowBytes);
        var keys = record.ResumeKeys;
        var sa = values.SaBinding.ToArray();
        Span<byte> proof = stackalloc byte[BindingMessage.ProofLength];
        keys.ClientProof(record.Id, challenge.Nonce.Span, sa, flowBytes, proof);
        return new ClientResume(keys, BindingMessage.ClientResume(record.Id, challenge.Nonce.Span, proof), record, sa, flowBytes);
    }

    /// <summary>Client, later connection: checks the server's proof that it holds the same binding.</summary>
    /// <exception cref="ChannelBindingException">PeerRefused, UnexpectedMessage or ProofMismatch.</exception>
    public void CompleteClientResume(ClientResume state, BindingMessage response)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        const ChannelRole role = ChannelRole.Client;
        if (state.Completed)
        {
            throw new InvalidOperationException("This resume exchange has already been completed.");
        }

        state.Completed = true;
        try
        {
            ExpectMessage(role, response, BindingMessageType.ServerResume);
            Span<byte> expected = stackalloc byte[BindingMessage.ProofLength];
            state.Keys.ServerProof(state.Record.Id, state.Request.Nonce.Span, state.SaBinding, state.Flow, state.Request.Proof.Span, expected);
            if (!ConstantTimeBytes.AreEqual(expected, response.Proof.Span))
            {
                throw Refuse(role, BindingStage.Resume, BindingFailureReason.ProofMismatch,
                    "The server's resume proof does not verify: it does not hold this binding, or it sees another IPsec channel or 5-tuple.");
            }
        }
        finally
        {
            state.Dispose();
        }

        BindingLog.Resumed(_logger, state.Record.Id, role);
        _metrics.Completed(role, BindingStage.Resume);
    }

    /// <summary>
    /// Server, later connection: checks the client's proof against the challenge issued on THIS connection, the binding,
    /// and this end's view of the IPsec channel and 5-tuple, and answers with the server's proof.
    /// </summary>
    /// <param name="challenge">The challenge issued on this connection (used up by this call, whatever the outcome), or null.</param>
    /// <param name="request">The client's ClientResume message.</param>
    /// <param name="record">The server's record for <c>request.BindingId</c>, or null when the store has none.</param>
    /// <param name="ipsecChannel">This end's IPsec channel information, computed now: ipsec-sa-binding and an Established latch required.</param>
    /// <param name="flow">The connection's 5-tuple as this end sees it.</param>
    /// <returns>The ServerResume message; the connection is now authenticated as <c>record.Principal</c>.</returns>
    /// <exception cref="ChannelBindingException">
    /// StaleChallenge, UnexpectedMessage, ChannelNotVerified, UnknownBinding, Expired, IdentityChanged or ProofMismatch.
    /// </exception>
    public BindingMessage VerifyClientResume(ResumeChallenge? challenge, BindingMessage request, ChannelBindingRecord? record, ChannelInfo ipsecChannel, IpsecFlow flow)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ipsecChannel);
        ArgumentNullException.ThrowIfNull(flow);
        const ChannelRole role = ChannelRole.Server;
        if (challenge is null || !challenge.TryUse() || _time.GetUtcNow() - challenge.IssuedAt > _options.ChallengeLifetime)
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.StaleChallenge,
                "No unanswered, unexpired challenge was issued on this connection: ask for a new one.");
        }

        ExpectMessage(role, request, BindingMessageType.ClientResume);
        if (!ConstantTimeBytes.AreEqual(request.Nonce.Span, challenge.Message.Nonce.Span))
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.StaleChallenge, "The proof answers a challenge issued elsewhere (another connection or an earlier one).");
        }

        var values = ReadChannel(ipsecChannel, role, BindingStage.Resume);
        if (record is null || record.Id != request.BindingId || record.Role != role)
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.UnknownBinding, $"No server binding {request.BindingId} is known here.");
        }

        CheckRecord(role, record, IpsecIdentity.FromPeer(ipsecChannel), record.ClientIpsecIdentity);
        Span<byte> flowBytes = stackalloc byte[FlowEncoding.Length];
        FlowEncoding.Write(flow, role, flowBytes);
        var keys = record.ResumeKeys;
        Span<byte> proof = stackalloc byte[BindingMessage.ProofLength];
        keys.ClientProof(record.Id, request.Nonce.Span, values.SaBinding.Span, flowBytes, proof);
        if (!ConstantTimeBytes.AreEqual(proof, request.Proof.Span))
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.ProofMismatch,
                "The client's resume proof does not verify: the sender lacks the binding secret, or the proof was made for another " +
                "IPsec channel (a man in the middle at the IPsec layer), another 5-tuple or another challenge.");
        }

        keys.ServerProof(record.Id, request.Nonce.Span, values.SaBinding.Span, flowBytes, request.Proof.Span, proof);
        BindingLog.Resumed(_logger, record.Id, role);
        _metrics.Completed(role, BindingStage.Resume);
        return BindingMessage.ServerResume(proof);
    }

    private void ExpectMessage(ChannelRole role, BindingMessage message, BindingMessageType type)
    {
        if (message.Type == BindingMessageType.Refusal)
        {
            throw Refuse(role, BindingStage.Resume, new ChannelBindingException(BindingFailureReason.PeerRefused,
                $"The peer refused the bound connection: {message.Reason?.ToToken()}.", message.Reason));
        }

        if (message.Type != type)
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.UnexpectedMessage, $"Expected {type}, got {message.Type}.");
        }
    }

    // The binding must be ours, unexpired, and its peer's IPsec identity (when IKE authenticated one) unchanged.
    private void CheckRecord(ChannelRole role, ChannelBindingRecord record, IpsecIdentity currentPeer, IpsecIdentity recordedPeer)
    {
        if (record.Role != role)
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.UnknownBinding, $"Binding {record.Id} was recorded by the {record.Role}, not the {role}.");
        }

        if (record.IsExpiredAt(_time.GetUtcNow()))
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.Expired, $"Binding {record.Id} expired at {record.ExpiresAt:O}; bind again over TLS.");
        }

        if (recordedPeer.IsAuthenticated && !recordedPeer.Equals(currentPeer))
        {
            throw Refuse(role, BindingStage.Resume, BindingFailureReason.IdentityChanged,
                $"The IPsec peer is now {currentPeer}, the binding recorded {recordedPeer}.");
        }
    }
}
