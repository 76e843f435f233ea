using System.Net.Security;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings;

public sealed partial class BindingExchange
{
    /// <summary>
    /// Client, first contact: computes this TLS session's exporter and the client's proof over its IPsec binding values.
    /// </summary>
    /// <param name="tls">The authenticated TLS session (the client validated the server certificate).</param>
    /// <param name="ipsecChannel">This end's IPsec channel information for the connection (ipsec-sa-binding required).</param>
    /// <exception cref="ChannelBindingException">ExporterUnavailable or ChannelNotVerified.</exception>
    public ClientFirstContact BeginClientFirstContact(SslStream tls, ChannelInfo ipsecChannel)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(ipsecChannel);
        var values = ReadChannel(ipsecChannel, ChannelRole.Client, BindingStage.FirstContact);
        var serverSpki = SpkiSha256(tls.RemoteCertificate)
            ?? throw Refuse(ChannelRole.Client, BindingStage.FirstContact, BindingFailureReason.ChannelNotVerified,
                "The TLS session has no server certificate, so there is no server TLS identity to bind.");
        var keys = DeriveFirstContactKeys(tls, ChannelRole.Client);
        Span<byte> proof = stackalloc byte[BindingMessage.ProofLength];
        keys.ClientProof(values.Available, values, proof);
        return new ClientFirstContact(keys, values, BindingMessage.ClientFirstContact(values.Available, proof), ipsecChannel, serverSpki);
    }

    /// <summary>
    /// Client, first contact: checks the server's answer and returns the client's binding record.
    /// </summary>
    /// <param name="state">What <see cref="BeginClientFirstContact"/> returned (usable once).</param>
    /// <param name="response">The server's message: ServerFirstContact, or a Refusal.</param>
    /// <param name="localIdentity">The client's own IPsec identity (<see cref="IpsecIdentity.Unauthenticated"/> for NULL authentication).</param>
    /// <param name="serverAuthority">The authority ("host:port") the client connected to, as its pin store names the server.</param>
    /// <exception cref="ChannelBindingException">PeerRefused, UnexpectedMessage, BindingTypesDiffer or ProofMismatch.</exception>
    public ChannelBindingRecord CompleteClientFirstContact(ClientFirstContact state, BindingMessage response, IpsecIdentity localIdentity, string serverAuthority)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(localIdentity);
        ArgumentException.ThrowIfNullOrEmpty(serverAuthority);
        const ChannelRole role = ChannelRole.Client;
        if (state.Completed)
        {
            throw new InvalidOperationException("This first-contact exchange has already been completed.");
        }

        state.Completed = true;
        if (response.Type == BindingMessageType.Refusal)
        {
            throw Refuse(role, BindingStage.FirstContact, new ChannelBindingException(BindingFailureReason.PeerRefused,
                $"The server refused the binding: {response.Reason?.ToToken()}.", response.Reason));
        }

        if (response.Type != BindingMessageType.ServerFirstContact)
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.UnexpectedMessage, $"Expected the server's first-contact answer, got {response.Type}.");
        }

        if (response.Covered != state.Request.Covered)
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.BindingTypesDiffer,
                $"The server's proof covers {response.Covered}, the client's {state.Request.Covered}.");
        }

        Span<byte> expected = stackalloc byte[BindingMessage.ProofLength];
        state.Keys.ServerProof(response.Covered, state.Values, state.Request.Proof.Span, response.BindingId, response.LifetimeSeconds, expected);
        if (!ConstantTimeBytes.AreEqual(expected, response.Proof.Span))
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.ProofMismatch,
                "The server's proof does not match this end's IPsec binding values: the two ends are not on the same IPsec channel " +
                "(a man in the middle at the IPsec layer) or the answer belongs to another TLS session.");
        }

        var now = _time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(Math.Min(response.LifetimeSeconds, _options.BindingLifetime.TotalSeconds));
        var record = new ChannelBindingRecord(response.BindingId, BindingProtocolVersion.V1, role, state.Keys.DeriveSecret(response.BindingId),
            localIdentity, IpsecIdentity.FromPeer(state.Channel), null, state.ServerSpkiSha256, serverAuthority, now, now + lifetime);
        state.Dispose();
        Created(record);
        return record;
    }

    /// <summary>
    /// Server, first contact: verifies the client's proof against this end's IPsec binding values and this TLS session's
    /// exporter, and answers with the server's proof and a new binding.
    /// </summary>
    /// <param name="tls">The authenticated TLS session.</param>
    /// <param name="ipsecChannel">This end's IPsec channel information for the connection (ipsec-sa-binding required).</param>
    /// <param name="request">The client's message (null when the client sent none: refused only when <see cref="BindingExchangeOptions.RequireBinding"/>).</param>
    /// <param name="localIdentity">The server's own IPsec identity.</param>
    /// <param name="principal">The application principal authenticated on this TLS connection, or null.</param>
    /// <returns>The answer to send and the server's record; null when the client sent nothing and binding is optional.</returns>
    /// <exception cref="ChannelBindingException">
    /// BindingRequired, UnexpectedMessage, ChannelNotVerified, ExporterUnavailable, BindingTypesDiffer or ProofMismatch.
    /// Send <see cref="BindingMessage.Refusal"/> with its reason.
    /// </exception>
    public (BindingMessage Response, ChannelBindingRecord Record)? AcceptClientFirstContact(
        SslStream tls, ChannelInfo ipsecChannel, BindingMessage? request, IpsecIdentity localIdentity, BoundPrincipal? principal)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(ipsecChannel);
        ArgumentNullException.ThrowIfNull(localIdentity);
        const ChannelRole role = ChannelRole.Server;
        if (request is null)
        {
            return _options.RequireBinding
                ? throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.BindingRequired,
                    "The client sent no binding message and this server requires binding (a version cannot be pushed down to none).")
                : null;
        }

        if (request.Type != BindingMessageType.ClientFirstContact)
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.UnexpectedMessage, $"Expected the client's first-contact proof, got {request.Type}.");
        }

        var values = ReadChannel(ipsecChannel, role, BindingStage.FirstContact);
        if (request.Covered != values.Available)
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.BindingTypesDiffer,
                $"The client's proof covers {request.Covered}, this end has {values.Available}: the two ends do not see the same IKE keys.");
        }

        using var keys = DeriveFirstContactKeys(tls, role);
        Span<byte> proof = stackalloc byte[BindingMessage.ProofLength];
        keys.ClientProof(values.Available, values, proof);
        if (!ConstantTimeBytes.AreEqual(proof, request.Proof.Span))
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.ProofMismatch,
                "The client's proof does not match this end's IPsec binding values: the two ends are not on the same IPsec channel " +
                "(a man in the middle at the IPsec layer), or the proof was made for another TLS session or is a reflection.");
        }

        var id = BindingId.NewId();
        var lifetime = (uint)_options.BindingLifetime.TotalSeconds;
        keys.ServerProof(values.Available, values, request.Proof.Span, id, lifetime, proof);
        var now = _time.GetUtcNow();
        var record = new ChannelBindingRecord(id, BindingProtocolVersion.V1, role, keys.DeriveSecret(id), IpsecIdentity.FromPeer(ipsecChannel),
            localIdentity, principal, SpkiSha256(tls.LocalCertificate) ?? [], null, now, now + TimeSpan.FromSeconds(lifetime));
        Created(record);
        return (BindingMessage.ServerFirstContact(values.Available, id, lifetime, proof), record);
    }

    private void Created(ChannelBindingRecord record)
    {
        BindingLog.Created(_logger, record.Id, record.Role, record.ClientIpsecIdentity, record.ServerIpsecIdentity, record.ExpiresAt);
        _metrics.Completed(record.Role, BindingStage.FirstContact);
    }
}
