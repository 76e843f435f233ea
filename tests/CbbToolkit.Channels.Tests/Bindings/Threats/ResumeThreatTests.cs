using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Testing.Certificates;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings.Threats;

/// <summary>
/// Later connections without TLS: the binding comes from a first contact over real loopback TLS, the later
/// connections are real TCP connections on loopback whose 5-tuples the proofs cover. Each test names the defense it
/// covers; removing that defense makes it fail (the reason asserted is the one that defense produces).
/// </summary>
public sealed class ResumeThreatTests(CertificateStore certificates)
{
    [Fact]
    public async Task Honest_OverARealConnection_AuthenticatesAsThePrincipal()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        var token = TestContext.Current.CancellationToken;

        var serving = session.Server.Exchange.ResumeAsServerAsync(connection.Server, id => id == server.Id ? server : null, Channels.Honest(), connection.ServerFlow, token);
        await session.Client.Exchange.ResumeAsClientAsync(connection.Client, client, Channels.Honest(), connection.ClientFlow, token);
        var authenticated = await serving;

        Assert.Same(server, authenticated);
        Assert.Equal(BoundSession.Principal, authenticated.Principal);
    }

    // Defense: the server's nonce, fresh per connection, is MACed and checked: a proof captured on connection 1 and
    // replayed on connection 2 answers a challenge that connection 2 never issued.
    [Fact]
    public async Task ProofReplayedOnAnotherConnection_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var first = await PlainConnection.OpenAsync();
        var challenge = session.Server.Exchange.IssueChallenge();
        using var captured = session.Client.Exchange.BeginClientResume(client, challenge.Message, Channels.Honest(), first.ClientFlow);
        _ = session.Server.Exchange.VerifyClientResume(challenge, captured.Request, server, Channels.Honest(), first.ServerFlow);

        var second = session.Server.Exchange.IssueChallenge();
        Refusals.Assert(session.Server, BindingFailureReason.StaleChallenge, () =>
            session.Server.Exchange.VerifyClientResume(second, captured.Request, server, Channels.Honest(), first.ServerFlow));
    }

    // Defense: a challenge is single use (used up by the first answer, good or bad) and expires; none means none.
    [Fact]
    public async Task StaleChallenge_ReusedExpiredOrMissing_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        var exchange = session.Server.Exchange;

        var once = exchange.IssueChallenge();
        using var answer = session.Client.Exchange.BeginClientResume(client, once.Message, Channels.Honest(), connection.ClientFlow);
        _ = exchange.VerifyClientResume(once, answer.Request, server, Channels.Honest(), connection.ServerFlow);
        Refusals.Assert(session.Server, BindingFailureReason.StaleChallenge, () =>
            exchange.VerifyClientResume(once, answer.Request, server, Channels.Honest(), connection.ServerFlow));

        var old = exchange.IssueChallenge();
        using var late = session.Client.Exchange.BeginClientResume(client, old.Message, Channels.Honest(), connection.ClientFlow);
        session.Server.Time.Now += new BindingExchangeOptions().ChallengeLifetime + TimeSpan.FromSeconds(1);
        Refusals.Assert(session.Server, BindingFailureReason.StaleChallenge, () =>
            exchange.VerifyClientResume(old, late.Request, server, Channels.Honest(), connection.ServerFlow));

        Refusals.Assert(session.Server, BindingFailureReason.StaleChallenge, () =>
            exchange.VerifyClientResume(null, late.Request, server, Channels.Honest(), connection.ServerFlow));
    }

    // Defense: the 5-tuple is MACed. A relay that opens its own connection to the server and passes that connection's
    // challenge to the real client (which answers it over ITS connection) gets a proof for the wrong 5-tuple.
    [Fact]
    public async Task ProofRelayedOntoAnother5Tuple_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var victim = await PlainConnection.OpenAsync();
        await using var relay = await PlainConnection.OpenAsync();
        Assert.NotEqual(victim.ServerFlow, relay.ServerFlow);

        var relayChallenge = session.Server.Exchange.IssueChallenge();
        using var victimAnswer = session.Client.Exchange.BeginClientResume(client, relayChallenge.Message, Channels.Honest(), victim.ClientFlow);

        Refusals.Assert(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.VerifyClientResume(relayChallenge, victimAnswer.Request, server, Channels.Honest(), relay.ServerFlow));
    }

    // Defense: the connection's own ipsec-sa-binding is MACed. A man in the middle at the IPsec layer (its own SA pair
    // with each end, relaying the same 5-tuple) makes the ends' values differ.
    [Fact]
    public async Task ResumeOverAnotherIpsecChannel_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        var challenge = session.Server.Exchange.IssueChallenge();
        using var answer = session.Client.Exchange.BeginClientResume(client, challenge.Message, Channels.Honest(Channels.Sa), connection.ClientFlow);

        Refusals.Assert(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.VerifyClientResume(challenge, answer.Request, server, Channels.Honest(Channels.OtherSa), connection.ServerFlow));
    }

    // Defense: only the holder of the secret can prove a binding. The id is not secret; another process on the client
    // host (same IPsec channel, its own connection, no access to the pin store) that names a real id is refused; an id
    // the server does not know is refused as such, and the client is told.
    [Fact]
    public async Task NoSecret_UnknownIdOrWrongSecret_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        using var forged = new ChannelBindingRecord(server.Id, BindingProtocolVersion.V1, ChannelRole.Client, new BindingSecret(RandomNumberGenerator.GetBytes(32)),
            IpsecIdentity.Unauthenticated, IpsecIdentity.Unauthenticated, null, client.ServerSpkiSha256.Span, client.ServerAuthority, client.CreatedAt, client.ExpiresAt);

        var challenge = session.Server.Exchange.IssueChallenge();
        using var guess = session.Client.Exchange.BeginClientResume(forged, challenge.Message, Channels.Honest(), connection.ClientFlow);
        Refusals.Assert(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.VerifyClientResume(challenge, guess.Request, server, Channels.Honest(), connection.ServerFlow));

        // Over the wire: the store knows no such binding; the server refuses and tells the client, which falls back.
        var token = TestContext.Current.CancellationToken;
        var serving = Refusals.AssertAsync(session.Server, BindingFailureReason.UnknownBinding, () =>
            session.Server.Exchange.ResumeAsServerAsync(connection.Server, _ => null, Channels.Honest(), connection.ServerFlow, token));
        var told = await Refusals.AssertAsync(session.Client, BindingFailureReason.PeerRefused, () =>
            session.Client.Exchange.ResumeAsClientAsync(connection.Client, client, Channels.Honest(), connection.ClientFlow, token));
        await serving;
        Assert.Equal(BindingFailureReason.UnknownBinding, told.PeerReason);
        Assert.Equal(403, BindingHttpStatus.ForResumeRefusal(BindingFailureReason.UnknownBinding));
    }

    // Defense: the expiry check on both ends (inclusive: at ExpiresAt it is expired).
    [Fact]
    public async Task ExpiredBinding_RefusedOnBothEnds()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        session.Server.Time.Now = server.ExpiresAt; // the challenge is fresh: only the binding is out of date
        var challenge = session.Server.Exchange.IssueChallenge();
        using var answer = session.Client.Exchange.BeginClientResume(client, challenge.Message, Channels.Honest(), connection.ClientFlow);

        Refusals.Assert(session.Server, BindingFailureReason.Expired, () =>
            session.Server.Exchange.VerifyClientResume(challenge, answer.Request, server, Channels.Honest(), connection.ServerFlow));
        session.Client.Time.Now = client.ExpiresAt;
        Refusals.Assert(session.Client, BindingFailureReason.Expired, () =>
            session.Client.Exchange.BeginClientResume(client, session.Server.Exchange.IssueChallenge().Message, Channels.Honest(), connection.ClientFlow));
    }

    // Defense (downgrade, the draft's Security Considerations): a binding authenticates only a connection whose IPsec
    // channel is verified NOW - ipsec-sa-binding present and the latch Established. Anything else is refused before
    // the binding or the proof is looked at, on both ends; over the wire the client learns why and falls back to TLS
    // (421: this connection cannot be served in plaintext).
    [Theory]
    [InlineData(true, null)]
    [InlineData(true, IpsecLatchState.Listener)]
    [InlineData(true, IpsecLatchState.Broken)]
    [InlineData(true, IpsecLatchState.Closed)]
    [InlineData(false, IpsecLatchState.Established)]
    public async Task ChannelNotVerifiedNow_NeverAuthenticates(bool hasSaBinding, IpsecLatchState? latch)
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        var unverified = TestChannels.Make(hasSaBinding ? Channels.Sa : null, latch: latch);
        var challenge = session.Server.Exchange.IssueChallenge();
        using var answer = session.Client.Exchange.BeginClientResume(client, challenge.Message, Channels.Honest(), connection.ClientFlow);

        Refusals.Assert(session.Server, BindingFailureReason.ChannelNotVerified, () =>
            session.Server.Exchange.VerifyClientResume(challenge, answer.Request, server, unverified, connection.ServerFlow));
        Refusals.Assert(session.Client, BindingFailureReason.ChannelNotVerified, () =>
            session.Client.Exchange.BeginClientResume(client, session.Server.Exchange.IssueChallenge().Message, unverified, connection.ClientFlow));

        var token = TestContext.Current.CancellationToken;
        var serving = Refusals.AssertAsync(session.Server, BindingFailureReason.ChannelNotVerified, () =>
            session.Server.Exchange.ResumeAsServerAsync(connection.Server, _ => server, unverified, connection.ServerFlow, token));
        var told = await Refusals.AssertAsync(session.Client, BindingFailureReason.PeerRefused, () =>
            session.Client.Exchange.ResumeAsClientAsync(connection.Client, client, Channels.Honest(), connection.ClientFlow, token));
        await serving;
        Assert.Equal(BindingFailureReason.ChannelNotVerified, told.PeerReason);
        Assert.Equal(421, BindingHttpStatus.ForResumeRefusal(BindingFailureReason.ChannelNotVerified));
    }

    // Defense: when IKE authenticated the peer at first contact, the same identity is required later.
    [Fact]
    public async Task IpsecPeerIdentityChanged_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var key = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x07 };
        var atFirstContact = TestChannels.Make(Channels.Sa, peerId: "client.example", peerAuth: IpsecAuthenticationMethod.RawPublicKey, peerKey: key);
        var (client, server) = session.Bind(Channels.Honest(), atFirstContact);
        Assert.True(server.ClientIpsecIdentity.IsAuthenticated);
        await using var connection = await PlainConnection.OpenAsync();
        var challenge = session.Server.Exchange.IssueChallenge();
        using var answer = session.Client.Exchange.BeginClientResume(client, challenge.Message, Channels.Honest(), connection.ClientFlow);
        var now = TestChannels.Make(Channels.Sa, peerId: "mallory.example", peerAuth: IpsecAuthenticationMethod.RawPublicKey, peerKey: key);

        Refusals.Assert(session.Server, BindingFailureReason.IdentityChanged, () =>
            session.Server.Exchange.VerifyClientResume(challenge, answer.Request, server, now, connection.ServerFlow));
    }

    // A failed proof is loud: typed (KeyRejected, the draft's EKEYREJECTED), logged (3601 server, 3604 client), counted
    // (cbb.binding.refused with the reason), sent to the client so it falls back to TLS (403), and no secret in any of it.
    [Fact]
    public async Task FailedProof_IsLoud_AndTellsTheClientToFallBack()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        await using var connection = await PlainConnection.OpenAsync();
        var token = TestContext.Current.CancellationToken;

        var serving = Refusals.AssertAsync(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.ResumeAsServerAsync(connection.Server, _ => server, Channels.Honest(Channels.OtherSa), connection.ServerFlow, token));
        var told = await Refusals.AssertAsync(session.Client, BindingFailureReason.PeerRefused, () =>
            session.Client.Exchange.ResumeAsClientAsync(connection.Client, client, Channels.Honest(), connection.ClientFlow, token));
        var refused = await serving;

        Assert.Equal(IpsecError.KeyRejected, refused.Error);
        Assert.Equal(BindingFailureReason.ProofMismatch, told.PeerReason);
        Assert.Equal(1, session.Client.Refused(BindingFailureReason.PeerRefused));
        Assert.Equal(403, BindingHttpStatus.ForResumeRefusal(BindingFailureReason.ProofMismatch));
        var secret = new byte[BindingSecret.Length];
        server.Secret.CopyTo(secret);
        var everything = string.Join("\n", session.Server.Log.Events.Select(e => e.Message).Concat(session.Client.Log.Events.Select(e => e.Message))
            .Append(refused.ToString()).Append(told.ToString()));
        Assert.DoesNotContain(Convert.ToHexString(secret.AsSpan(0, 8)), everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(secret)[..10], everything, StringComparison.Ordinal);
    }
}
