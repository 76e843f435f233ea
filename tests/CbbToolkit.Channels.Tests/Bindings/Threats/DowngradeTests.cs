using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Ipsec;
using CbbToolkit.Testing.Certificates;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings.Threats;

/// <summary>
/// The version cannot be pushed down and nothing unknown is skipped: in the binary form, in the HTTP headers, and over
/// a real TLS stream where the server answers with a refusal the client can read.
/// </summary>
public sealed class DowngradeTests(CertificateStore certificates)
{
    private static readonly byte[] s_proof = TestChannels.Value(7);

    // Defense: the version octet is checked before anything else, and v1 is the only one; no other version's body is parsed.
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Binary_OtherVersion_Refused(byte version)
    {
        var bytes = BindingMessageCodec.Encode(BindingMessage.ClientFirstContact(IpsecBindingValues.SaBinding, s_proof));
        bytes[0] = version;
        Assert.Equal(BindingFailureReason.UnsupportedVersion, Assert.Throws<ChannelBindingException>(() => BindingMessageCodec.Decode(bytes)).Reason);
        Assert.Equal(BindingFailureReason.UnsupportedVersion, Assert.Throws<ChannelBindingException>(() => BindingMessageCodec.ReadBodyLength(bytes)).Reason);
        bytes[4] = 0xee; // another version's body would not parse as v1: the version is what is reported
        Assert.Equal(BindingFailureReason.UnsupportedVersion, Assert.Throws<ChannelBindingException>(() => BindingMessageCodec.Decode(bytes)).Reason);
    }

    // Defense: an absent version is not version 0 or 1; other versions are refused, not parsed.
    [Theory]
    [InlineData("cover=1, proof=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:")]
    [InlineData("v=0, cover=1, proof=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:")]
    [InlineData("v=2, cover=1, proof=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:")]
    [InlineData("v=v1, cover=1, proof=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:")]
    public void Header_AbsentOrOtherVersion_Refused(string header) =>
        Assert.Equal(BindingFailureReason.UnsupportedVersion,
            Assert.Throws<ChannelBindingException>(() => BindingHeaderCodec.Parse(BindingMessageType.ClientFirstContact, header)).Reason);

    // Defense: strict decoding - a field or key v1 does not define for the message is refused, never skipped.
    [Fact]
    public void UnknownFields_Refused()
    {
        var valid = BindingMessageCodec.Encode(BindingMessage.Challenge(s_proof));
        var extended = valid.Concat(new byte[] { 7, 1, 0 }).ToArray();
        extended[3] += 3;
        Assert.Equal(BindingFailureReason.UnknownField, Assert.Throws<ChannelBindingException>(() => BindingMessageCodec.Decode(extended)).Reason);

        var header = BindingHeaderCodec.Format(BindingMessage.Challenge(s_proof));
        foreach (var extra in (string[])["x=1", "proof=:AAAA:", "ttl=5"])
        {
            Assert.Equal(BindingFailureReason.UnknownField,
                Assert.Throws<ChannelBindingException>(() => BindingHeaderCodec.Parse(BindingMessageType.Challenge, header + ", " + extra)).Reason);
        }
    }

    // Defense: the covered set is part of the proof and must equal what the verifier has: a man in the middle that
    // rewrites "covers ipsec-sa-binding and ipsec-end-point-sha256" to "ipsec-sa-binding only" is refused.
    [Fact]
    public async Task CoveredValuesPushedDown_Refused()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var both = TestChannels.Make(Channels.Sa, Channels.EndPoint);
        using var state = session.Client.Exchange.BeginClientFirstContact(session.Tls.Client, both);
        var pushedDown = BindingMessage.ClientFirstContact(IpsecBindingValues.SaBinding, state.Request.Proof.Span);

        Refusals.Assert(session.Server, BindingFailureReason.BindingTypesDiffer, () =>
            session.Server.Exchange.AcceptClientFirstContact(session.Tls.Server, both, pushedDown, IpsecIdentity.Unauthenticated, null));
    }

    // Defense: RequireBinding - a server that insists cannot be pushed down to "no binding message at all".
    [Fact]
    public async Task NoBindingMessage_RefusedWhenRequired_ServedUnboundOtherwise()
    {
        using var strict = await BoundSession.ConnectAsync(certificates, serverOptions: new BindingExchangeOptions { RequireBinding = true });
        Refusals.Assert(strict.Server, BindingFailureReason.BindingRequired, () =>
            strict.Server.Exchange.AcceptClientFirstContact(strict.Tls.Server, Channels.Honest(), null, IpsecIdentity.Unauthenticated, null));

        using var lenient = await BoundSession.ConnectAsync(certificates);
        Assert.Null(lenient.Server.Exchange.AcceptClientFirstContact(lenient.Tls.Server, Channels.Honest(), null, IpsecIdentity.Unauthenticated, null));
    }

    // Over the TLS stream: a client speaking version 2 gets a v1 refusal it can read ("unsupported-version"); the
    // server does not answer with anything a v2 peer could take as agreement.
    [Fact]
    public async Task OtherVersionOverTls_ServerRefusesAndSaysWhy()
    {
        using var session = await BoundSession.ConnectAsync(certificates);
        var token = TestContext.Current.CancellationToken;
        var serving = Refusals.AssertAsync(session.Server, BindingFailureReason.UnsupportedVersion, () =>
            session.Server.Exchange.BindAsServerAsync(session.Tls.Server, Channels.Honest(), IpsecIdentity.Unauthenticated, null, token));
        var v2 = BindingMessageCodec.Encode(BindingMessage.ClientFirstContact(IpsecBindingValues.SaBinding, s_proof));
        v2[0] = 2;
        await session.Tls.Client.WriteAsync(v2, token);
        await session.Tls.Client.FlushAsync(token);
        await serving;

        var answer = new byte[BindingMessageCodec.HeaderLength + 3];
        await session.Tls.Client.ReadExactlyAsync(answer, token);
        var refusal = BindingMessageCodec.Decode(answer);
        Assert.Equal(BindingMessageType.Refusal, refusal.Type);
        Assert.Equal(BindingFailureReason.UnsupportedVersion, refusal.Reason);
    }

    // Size limits before parsing, and exactly one header line (a second copy could otherwise override the first).
    [Fact]
    public void Header_OversizedOrRepeated_Refused()
    {
        var valid = BindingHeaderCodec.Format(BindingMessage.Challenge(s_proof));
        var oversized = Assert.Throws<ChannelBindingException>(() => BindingHeaderCodec.Parse(BindingMessageType.Challenge, valid + new string(' ', 600) + "x"));
        Assert.Equal(BindingFailureReason.Oversized, oversized.Reason);
        Assert.Equal(431, BindingHttpStatus.ForResumeRefusal(oversized.Reason));
        Assert.Equal(BindingFailureReason.Malformed,
            Assert.Throws<ChannelBindingException>(() => BindingHeaderCodec.Parse(BindingMessageType.Challenge, [valid, valid])).Reason);
        Assert.Equal(BindingFailureReason.Malformed,
            Assert.Throws<ChannelBindingException>(() => BindingHeaderCodec.Parse(BindingMessageType.Challenge, valid + ", nonce=:AAAA:")).Reason);
        Assert.Equal(400, BindingHttpStatus.ForResumeRefusal(BindingFailureReason.Malformed));
    }
}
