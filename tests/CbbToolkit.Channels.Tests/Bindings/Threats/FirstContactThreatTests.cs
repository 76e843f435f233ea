using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Testing.Certificates;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings.Threats;

/// <summary>
/// First contact over real loopback TLS (SslStream on both ends, OpenSSL underneath): each threat of
/// docs/binding-protocol.md ("Threats") against the defense named in the test, which makes it fail when removed.
/// </summary>
public sealed class FirstContactThreatTests(CertificateStore certificates)
{
    [Fact]
    public async Task Honest_BothEndsHoldTheSameSecret()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var (client, server) = session.Bind(Channels.Honest(), Channels.Honest());
        Assert.Equal(client.Id, server.Id);
        Assert.True(client.Secret.Equals(server.Secret));
        Assert.Equal(BoundSession.Principal, server.Principal);
        Assert.Equal(1, session.Server.Meters.Counts.GetValueOrDefault(("cbb.binding.completed", "")));
    }

    // Defense: the proof keys come from THIS session's TLS exporter (label EXPORTER-CBB-IPsec-Binding-v1). With a key
    // that did not depend on the session, a proof captured in session A would verify in session B.
    [Fact]
    public async Task ProofFromAnotherTlsSession_Refused()
    {
        using var a = await BoundSession.ConnectAsync(certificates);
        using var b = await BoundSession.ConnectAsync(certificates);
        using var captured = a.Client.Exchange.BeginClientFirstContact(a.Tls.Client, Channels.Honest());

        Refusals.Assert(b.Server, BindingFailureReason.ProofMismatch, () =>
            b.Server.Exchange.AcceptClientFirstContact(b.Tls.Server, Channels.Honest(), captured.Request, IpsecIdentity.Unauthenticated, null));
    }

    // Defense: the server's answer is verified against the client's own session too: an answer from session A
    // (replayed by a man in the middle into session B) does not complete B.
    [Fact]
    public async Task ServerAnswerFromAnotherTlsSession_Refused()
    {
        using var a = await BoundSession.ConnectAsync(certificates);
        using var b = await BoundSession.ConnectAsync(certificates);
        using var inA = a.Client.Exchange.BeginClientFirstContact(a.Tls.Client, Channels.Honest());
        var (answerA, _) = a.Server.Exchange.AcceptClientFirstContact(a.Tls.Server, Channels.Honest(), inA.Request, IpsecIdentity.Unauthenticated, null)!.Value;
        using var inB = b.Client.Exchange.BeginClientFirstContact(b.Tls.Client, Channels.Honest());

        Refusals.Assert(b.Client, BindingFailureReason.ProofMismatch, () =>
            b.Client.Exchange.CompleteClientFirstContact(inB, answerA, IpsecIdentity.Unauthenticated, "localhost:8443"));
    }

    // Defense: role separation - each role's proof has its own HKDF label and message-type octet (and the server's
    // transcript is longer): the server's proof, sent back as a client's in the same session, does not verify. With
    // one key and one transcript for both roles it would.
    [Fact]
    public async Task ServerProofReflectedAsClientProof_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        using var first = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, Channels.Honest());
        var (answer, _) = session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, Channels.Honest(), first.Request, IpsecIdentity.Unauthenticated, null)!.Value;
        var reflected = BindingMessage.ClientFirstContact(answer.Covered, answer.Proof.Span);

        Refusals.Assert(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, Channels.Honest(), reflected, IpsecIdentity.Unauthenticated, null));
    }

    // Defense: the same role separation the other way: a relay that echoes the client's own proof as the server's
    // answer (it cannot compute one) is refused by the client.
    [Fact]
    public async Task ClientProofReflectedAsServerAnswer_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        using var state = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, Channels.Honest());
        var echo = BindingMessage.ServerFirstContact(state.Request.Covered, BindingId.NewId(), 3600, state.Request.Proof.Span);

        Refusals.Assert(session.Client, BindingFailureReason.ProofMismatch, () =>
            session.Client.Exchange.CompleteClientFirstContact(state, echo, IpsecIdentity.Unauthenticated, "localhost:8443"));
    }

    // Defense: the proof MACs ipsec-sa-binding. A man in the middle at the IPsec layer holds one SA pair with each end,
    // so the ends' values differ and the honest TLS session (the MITM does not break TLS) still fails to bind.
    [Fact]
    public async Task WrongIpsecSaBinding_ManInTheMiddleAtTheIpsecLayer_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        using var state = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, Channels.Honest(Channels.Sa));

        Refusals.Assert(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, Channels.Honest(Channels.OtherSa), state.Request, IpsecIdentity.Unauthenticated, null));
    }

    // Defense: ipsec-end-point-sha256, when both ends have it, is MACed too; when one end lacks it the covered sets
    // differ and the server refuses before any MAC (a proof that covers less is not accepted in place of one that covers more).
    [Fact]
    public async Task EndPointBinding_DifferentOrMissing_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        using var withEndPoint = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, TestChannels.Make(Channels.Sa, Channels.EndPoint));
        Assert.Equal(IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256, withEndPoint.Request.Covered);

        Refusals.Assert(session.Server, BindingFailureReason.ProofMismatch, () =>
            session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, TestChannels.Make(Channels.Sa, TestChannels.Value(9)), withEndPoint.Request, IpsecIdentity.Unauthenticated, null));
        Refusals.Assert(session.Server, BindingFailureReason.BindingTypesDiffer, () =>
            session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, Channels.Honest(), withEndPoint.Request, IpsecIdentity.Unauthenticated, null));
    }

    // Defense: no ipsec-sa-binding, or a latch that is Broken or Closed, means there is no verified IPsec channel to
    // bind: refused on either end before any exporter or proof.
    [Theory]
    [InlineData(false, IpsecLatchState.Established)]
    [InlineData(true, IpsecLatchState.Broken)]
    [InlineData(true, IpsecLatchState.Closed)]
    public async Task ChannelNotVerified_FirstContactRefusedOnBothEnds(bool hasSaBinding, IpsecLatchState latch)
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var unverified = TestChannels.Make(hasSaBinding ? Channels.Sa : null, latch: latch);
        using var honest = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, Channels.Honest());

        Refusals.Assert(session.Client, BindingFailureReason.ChannelNotVerified, () => session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, unverified));
        var e = Refusals.Assert(session.Server, BindingFailureReason.ChannelNotVerified, () =>
            session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, unverified, honest.Request, IpsecIdentity.Unauthenticated, null));
        Assert.Equal(IpsecError.NotConnected, e.Error);
    }

    // Defense: one exchange state completes once; a second answer (a replayed one) is not processed.
    [Fact]
    public async Task FirstContactState_CompletesOnce()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        using var state = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, Channels.Honest());
        var (answer, _) = session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, Channels.Honest(), state.Request, IpsecIdentity.Unauthenticated, null)!.Value;
        using var record = session.Client.Exchange.CompleteClientFirstContact(state, answer, IpsecIdentity.Unauthenticated, "localhost:8443");
        Assert.Throws<InvalidOperationException>(() => session.Client.Exchange.CompleteClientFirstContact(state, answer, IpsecIdentity.Unauthenticated, "localhost:8443"));
    }
}
