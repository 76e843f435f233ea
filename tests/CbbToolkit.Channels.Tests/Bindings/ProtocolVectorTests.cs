using System.Net;
using System.Net.Sockets;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Bindings.Proofs;
using CbbToolkit.Ipsec.Resolution;
using Xunit;
using I = CbbToolkit.Channels.Tests.Bindings.IndependentBindingProofs;

namespace CbbToolkit.Channels.Tests.Bindings;

/// <summary>
/// docs/binding-protocol.md section 10: reads the test-vector block from the page itself, recomputes every output from
/// its inputs twice - with the independent BouncyCastle implementation written from the page, and with the toolkit's
/// code - and requires both to equal the page. A change to the protocol, the code or the page alone fails here.
/// </summary>
public sealed class ProtocolVectorTests
{
    private static readonly Lazy<Dictionary<string, string>> s_vectors = new(ReadVectors);

    internal static Dictionary<string, string> V => s_vectors.Value;

    private static byte[] Hex(string name) => Convert.FromHexString(V[name]);

    private static byte[] Exporter => Hex("exporter");

    private static byte[] Sa => Hex("ipsec-sa-binding");

    private static byte[] EndPoint => Hex("ipsec-end-point-sha256");

    private static byte[] Id => Hex("binding-id");

    private static uint Lifetime => uint.Parse(V["lifetime"], System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Nonce => Hex("nonce");

    [Fact]
    public void Independent_FirstContact_EqualsTheDoc()
    {
        var fc = new I.FirstContact(Exporter);
        Assert.Equal(V["first-contact-prk"], Convert.ToHexStringLower(fc.Prk));
        Assert.Equal(V["client-first-contact-key"], Convert.ToHexStringLower(fc.ClientKey));
        Assert.Equal(V["server-first-contact-key"], Convert.ToHexStringLower(fc.ServerKey));
        Assert.Equal(V["client-proof-cover-1"], Convert.ToHexStringLower(fc.ClientProof(1, Sa, null)));
        var clientProof = fc.ClientProof(3, Sa, EndPoint);
        Assert.Equal(V["client-proof-cover-3"], Convert.ToHexStringLower(clientProof));
        Assert.Equal(V["server-proof-cover-3"], Convert.ToHexStringLower(fc.ServerProof(3, Sa, EndPoint, clientProof, Id, Lifetime)));
        Assert.Equal(V["binding-secret"], Convert.ToHexStringLower(fc.Secret(Id)));
    }

    [Fact]
    public void Independent_Resume_EqualsTheDoc()
    {
        var flow = IndependentFlow();
        Assert.Equal(V["flow"], Convert.ToHexStringLower(flow));
        var resume = new I.Resume(Hex("binding-secret"));
        Assert.Equal(V["resume-prk"], Convert.ToHexStringLower(resume.Prk));
        Assert.Equal(V["client-resume-key"], Convert.ToHexStringLower(resume.ClientKey));
        Assert.Equal(V["server-resume-key"], Convert.ToHexStringLower(resume.ServerKey));
        var proof = resume.ClientProof(Id, Nonce, Sa, flow);
        Assert.Equal(V["client-resume-proof"], Convert.ToHexStringLower(proof));
        Assert.Equal(V["server-resume-proof"], Convert.ToHexStringLower(resume.ServerProof(Id, Nonce, Sa, flow, proof)));
    }

    [Fact]
    public void Independent_Encodings_EqualTheDoc()
    {
        // The binary form written out by hand from section 5, the headers from section 9.1.
        byte[] Message(byte type, params byte[][] fields) =>
            [1, type, (byte)(fields.Sum(f => f.Length) >> 8), (byte)fields.Sum(f => f.Length), .. fields.SelectMany(f => f)];
        byte[] Field(byte type, byte[] value) => [type, (byte)value.Length, .. value];
        string B(byte[] value) => ":" + Convert.ToBase64String(value) + ":";
        var (pc, ps, rc, rs) = (Hex("client-proof-cover-3"), Hex("server-proof-cover-3"), Hex("client-resume-proof"), Hex("server-resume-proof"));

        Assert.Equal(Hex("binary-client-first-contact"), Message(1, Field(1, [3]), Field(2, pc)));
        Assert.Equal(Hex("binary-server-first-contact"), Message(2, Field(1, [3]), Field(2, ps), Field(3, Id), Field(4, I.U32(Lifetime))));
        Assert.Equal(Hex("binary-challenge"), Message(4, Field(6, Nonce)));
        Assert.Equal(Hex("binary-client-resume"), Message(5, Field(2, rc), Field(3, Id), Field(6, Nonce)));
        Assert.Equal(Hex("binary-server-resume"), Message(6, Field(2, rs)));
        Assert.Equal(Hex("binary-refusal-proof-mismatch"), Message(3, Field(5, [9])));
        Assert.Equal(V["header-cbb-bind"], $"v=1, cover=3, proof={B(pc)}");
        Assert.Equal(V["header-cbb-bind-result"], $"v=1, cover=3, id={B(Id)}, ttl={Lifetime}, proof={B(ps)}");
        Assert.Equal(V["header-cbb-challenge"], $"v=1, nonce={B(Nonce)}");
        Assert.Equal(V["header-cbb-resume"], $"v=1, id={B(Id)}, nonce={B(Nonce)}, proof={B(rc)}");
        Assert.Equal(V["header-cbb-resume-result"], $"v=1, proof={B(rs)}");
        Assert.Equal("v=1, reason=" + "proof-mismatch", V["header-cbb-error"]); // the token of reason 9 (section 7)
        Assert.Equal(V["binding-id-text"], Convert.ToBase64String(Id).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
    }

    [Fact]
    public void OurCode_Proofs_EqualTheDoc()
    {
        var id = BindingId.FromBytes(Id);
        Span<byte> proof = stackalloc byte[32];
        using var keys = new FirstContactKeys(Exporter);
        keys.ClientProof(IpsecBindingValues.SaBinding, IpsecBindingInputs.FromValues(Sa, default), proof);
        Assert.Equal(V["client-proof-cover-1"], Convert.ToHexStringLower(proof));
        var both = IpsecBindingInputs.FromValues(Sa, EndPoint);
        Assert.Equal(IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256, both.Available);
        keys.ClientProof(both.Available, both, proof);
        Assert.Equal(V["client-proof-cover-3"], Convert.ToHexStringLower(proof));
        var clientProof = proof.ToArray();
        keys.ServerProof(both.Available, both, clientProof, id, Lifetime, proof);
        Assert.Equal(V["server-proof-cover-3"], Convert.ToHexStringLower(proof));
        using var secret = keys.DeriveSecret(id);
        var secretBytes = new byte[32];
        secret.CopyTo(secretBytes);
        Assert.Equal(V["binding-secret"], Convert.ToHexStringLower(secretBytes));

        var (clientFlow, serverFlow) = Flows();
        var clientBytes = new byte[FlowEncoding.Length];
        var serverBytes = new byte[FlowEncoding.Length];
        FlowEncoding.Write(clientFlow, ChannelRole.Client, clientBytes);
        FlowEncoding.Write(serverFlow, ChannelRole.Server, serverBytes);
        Assert.Equal(V["flow"], Convert.ToHexStringLower(clientBytes));
        Assert.Equal(clientBytes, serverBytes); // each end from its own view, the same octets
        using var resume = new ResumeKeys(secret);
        resume.ClientProof(id, Nonce, Sa, clientBytes, proof);
        Assert.Equal(V["client-resume-proof"], Convert.ToHexStringLower(proof));
        var resumeProof = proof.ToArray();
        resume.ServerProof(id, Nonce, Sa, clientBytes, resumeProof, proof);
        Assert.Equal(V["server-resume-proof"], Convert.ToHexStringLower(proof));
    }

    [Fact]
    public void OurCode_Encodings_EqualTheDoc()
    {
        var id = BindingId.FromBytes(Id);
        var cover = IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256;
        (string Binary, string Header, BindingMessage Message)[] cases =
        [
            ("binary-client-first-contact", "header-cbb-bind", BindingMessage.ClientFirstContact(cover, Hex("client-proof-cover-3"))),
            ("binary-server-first-contact", "header-cbb-bind-result", BindingMessage.ServerFirstContact(cover, id, Lifetime, Hex("server-proof-cover-3"))),
            ("binary-challenge", "header-cbb-challenge", BindingMessage.Challenge(Nonce)),
            ("binary-client-resume", "header-cbb-resume", BindingMessage.ClientResume(id, Nonce, Hex("client-resume-proof"))),
            ("binary-server-resume", "header-cbb-resume-result", BindingMessage.ServerResume(Hex("server-resume-proof"))),
            ("binary-refusal-proof-mismatch", "header-cbb-error", BindingMessage.Refusal(BindingFailureReason.ProofMismatch)),
        ];
        foreach (var (binary, header, message) in cases)
        {
            Assert.Equal(V[binary], Convert.ToHexStringLower(BindingMessageCodec.Encode(message)));
            Assert.Equal(V[header], BindingHeaderCodec.Format(message));
            // And back: the doc's header parses to the doc's binary message.
            Assert.Equal(V[binary], Convert.ToHexStringLower(BindingMessageCodec.Encode(BindingHeaderCodec.Parse(message.Type, V[header]))));
            Assert.Equal(V[binary], Convert.ToHexStringLower(BindingMessageCodec.Encode(BindingMessageCodec.Decode(Hex(binary)))));
        }

        Assert.Equal(BindingHeaderNames.Bind, BindingHeaderNames.For(BindingMessageType.ClientFirstContact));
        Assert.Equal(V["binding-id-text"], id.ToString());
        Assert.Equal("EXPORTER-CBB-IPsec-Binding-v1", BindingExchange.ExporterLabel);
    }

    private static byte[] IndependentFlow()
    {
        var client = IPEndPoint.Parse(V["flow-client"]);
        var server = IPEndPoint.Parse(V["flow-server"]);
        return I.Flow(byte.Parse(V["flow-protocol"], System.Globalization.CultureInfo.InvariantCulture), client.Address, (ushort)client.Port, server.Address, (ushort)server.Port);
    }

    private static (IpsecFlow Client, IpsecFlow Server) Flows()
    {
        var client = IPEndPoint.Parse(V["flow-client"]);
        var server = IPEndPoint.Parse(V["flow-server"]);
        Assert.Equal("6", V["flow-protocol"]);
        return (new IpsecFlow(client, server, ProtocolType.Tcp), new IpsecFlow(server, client, ProtocolType.Tcp));
    }

    private static Dictionary<string, string> ReadVectors()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CbbToolkit.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var text = File.ReadAllText(Path.Combine(directory.FullName, "docs", "binding-protocol.md"));
        var begin = text.IndexOf("<!-- test-vectors:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- test-vectors:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/binding-protocol.md has no test-vector block.");
        var vectors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text[begin..end].Split('\n'))
        {
            var at = line.IndexOf(" = ", StringComparison.Ordinal);
            if (at > 0 && !line.StartsWith('#'))
            {
                Assert.True(vectors.TryAdd(line[..at].Trim(), line[(at + 3)..].TrimEnd('\r')), $"Vector {line[..at]} appears twice.");
            }
        }

        Assert.True(vectors.Count >= 30, $"Only {vectors.Count} vectors were read.");
        return vectors;
    }
}
