using System.Net.Security;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Channels.Bindings;

public sealed partial class BindingExchange
{
    /// <summary>
    /// Client, first contact over the TLS stream itself: sends the client's proof, reads the server's answer, returns the
    /// client's record. On a refusal by this side the server is told why (a Refusal message) before the exception.
    /// </summary>
    /// <exception cref="ChannelBindingException">As <see cref="BeginClientFirstContact"/> and <see cref="CompleteClientFirstContact"/>,
    /// or for a malformed or oversized answer.</exception>
    public async Task<ChannelBindingRecord> BindAsClientAsync(SslStream tls, ChannelInfo ipsecChannel, IpsecIdentity localIdentity, string serverAuthority, CancellationToken cancellationToken = default)
    {
        using var state = BeginClientFirstContact(tls, ipsecChannel);
        await BindingFraming.WriteAsync(tls, state.Request, cancellationToken).ConfigureAwait(false);
        var response = await ReadAsync(tls, ChannelRole.Client, BindingStage.FirstContact, cancellationToken).ConfigureAwait(false);
        return CompleteClientFirstContact(state, response, localIdentity, serverAuthority);
    }

    /// <summary>
    /// Server, first contact over the TLS stream itself: reads the client's proof, answers with the server's (or with a
    /// Refusal carrying the reason, then throws), returns the server's record.
    /// </summary>
    /// <exception cref="ChannelBindingException">As <see cref="AcceptClientFirstContact"/>, or for a malformed or oversized request.</exception>
    public async Task<ChannelBindingRecord> BindAsServerAsync(SslStream tls, ChannelInfo ipsecChannel, IpsecIdentity localIdentity, BoundPrincipal? principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        try
        {
            var request = await ReadAsync(tls, ChannelRole.Server, BindingStage.FirstContact, cancellationToken).ConfigureAwait(false);
            var (response, record) = AcceptClientFirstContact(tls, ipsecChannel, request, localIdentity, principal)!.Value;
            await BindingFraming.WriteAsync(tls, response, cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch (ChannelBindingException e) when (BindingFailureReasons.IsSendable(e.Reason))
        {
            await BindingFraming.WriteAsync(tls, BindingMessage.Refusal(e.Reason), cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Client, later connection over a plain stream: reads the challenge, proves the binding, checks the server's proof.</summary>
    /// <exception cref="ChannelBindingException">As <see cref="BeginClientResume"/> and <see cref="CompleteClientResume"/>.</exception>
    public async Task ResumeAsClientAsync(Stream stream, ChannelBindingRecord record, ChannelInfo ipsecChannel, IpsecFlow flow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var challenge = await ReadAsync(stream, ChannelRole.Client, BindingStage.Resume, cancellationToken).ConfigureAwait(false);
        using var state = BeginClientResume(record, challenge, ipsecChannel, flow);
        await BindingFraming.WriteAsync(stream, state.Request, cancellationToken).ConfigureAwait(false);
        var response = await ReadAsync(stream, ChannelRole.Client, BindingStage.Resume, cancellationToken).ConfigureAwait(false);
        CompleteClientResume(state, response);
    }

    /// <summary>
    /// Server, later connection over a plain stream: sends a challenge, reads the proof, looks the binding up, verifies,
    /// answers. Returns the binding the connection is now authenticated by; on a refusal the client is told why.
    /// </summary>
    /// <param name="stream">The connection.</param>
    /// <param name="lookup">The server's binding store: the record for an id, or null.</param>
    /// <param name="ipsecChannel">This end's IPsec channel information, computed now.</param>
    /// <param name="flow">The connection's 5-tuple as this end sees it.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <exception cref="ChannelBindingException">As <see cref="VerifyClientResume"/>.</exception>
    public async Task<ChannelBindingRecord> ResumeAsServerAsync(Stream stream, Func<BindingId, ChannelBindingRecord?> lookup, ChannelInfo ipsecChannel, IpsecFlow flow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(lookup);
        var challenge = IssueChallenge();
        await BindingFraming.WriteAsync(stream, challenge.Message, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = await ReadAsync(stream, ChannelRole.Server, BindingStage.Resume, cancellationToken).ConfigureAwait(false);
            var record = request.Type == BindingMessageType.ClientResume ? lookup(request.BindingId) : null;
            var response = VerifyClientResume(challenge, request, record, ipsecChannel, flow);
            await BindingFraming.WriteAsync(stream, response, cancellationToken).ConfigureAwait(false);
            return record!;
        }
        catch (ChannelBindingException e) when (BindingFailureReasons.IsSendable(e.Reason))
        {
            await BindingFraming.WriteAsync(stream, BindingMessage.Refusal(e.Reason), cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<BindingMessage> ReadAsync(Stream stream, ChannelRole role, BindingStage stage, CancellationToken cancellationToken)
    {
        try
        {
            return await BindingFraming.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelBindingException e)
        {
            throw Refuse(role, stage, e);
        }
    }
}
