using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Bindings.Proofs;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Issue 8: the binding exchange's proofs (docs/binding-protocol.md). Goal: proof create + verify under 5 us. The
/// "CreateAndVerify" rows are both ends' work for one proof: the prover derives its keys and MACs, the verifier
/// derives the same keys, MACs and compares in constant time. The "Exchange" rows run the public API end to end over a
/// real loopback TLS 1.3 session (two TLS exporters included) or, for resume, over a 5-tuple without TLS.
/// </summary>
[MemoryDiagnoser]
public class BindingProofBenchmarks
{
    private readonly byte[] _exporter = SHA256.HashData("exporter"u8);
    private readonly byte[] _clientProof = new byte[32];
    private readonly byte[] _nonce = SHA256.HashData("nonce"u8);
    private readonly byte[] _flow = new byte[FlowEncoding.Length];
    private IpsecBindingInputs _values;
    private BindingSecret _secret = null!;
    private BindingId _id;
    private LoopbackTls _tls = null!;
    private ChannelInfo _channel = null!;
    private BindingExchange _exchange = null!;
    private ChannelBindingRecord _clientRecord = null!;
    private ChannelBindingRecord _serverRecord = null!;
    private IpsecFlow _clientFlow = null!;
    private IpsecFlow _serverFlow = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = IpsecBindingInputs.FromValues(SHA256.HashData("sa"u8), SHA256.HashData("end-point"u8));
        _secret = new BindingSecret(SHA256.HashData("secret"u8));
        _id = BindingId.NewId();
        _certificate = EphemeralCertificate.CreateEcdsaP256();
        _tls = LoopbackTls.ConnectAsync(_certificate, SslProtocols.Tls13).GetAwaiter().GetResult();
        _channel = ChannelInfo.Empty
            .With(ChannelAttributeType.IpsecSaBinding, SHA256.HashData("sa"u8))
            .With(ChannelAttributeType.LatchState, [(byte)IpsecLatchState.Established])
            .With(ChannelAttributeType.IpsecAuthenticationMethod, [(byte)IpsecAuthenticationMethod.Null]);
        _exchange = new BindingExchange(Options.Create(new BindingExchangeOptions()));
        var client = new IPEndPoint(IPAddress.Parse("10.99.0.1"), 40000);
        var server = new IPEndPoint(IPAddress.Parse("10.99.0.2"), 8080);
        _clientFlow = new IpsecFlow(client, server, ProtocolType.Tcp);
        _serverFlow = new IpsecFlow(server, client, ProtocolType.Tcp);
        (_clientRecord, _serverRecord) = FirstContact();

        // Measure only what works: every row's result is checked once here.
        if (!FirstContact_CreateAndVerify() || !Resume_CreateAndVerify() || !Resume_CreateAndVerify_KeptKeys() || !Resume_Exchange())
        {
            throw new InvalidOperationException("A proof did not verify.");
        }

        using (var a = new ResumeKeys(_clientRecord.Secret))
        using (var b = new ResumeKeys(_serverRecord.Secret))
        {
            Span<byte> x = stackalloc byte[32], y = stackalloc byte[32];
            a.ClientProof(_clientRecord.Id, _nonce, _values.SaBinding.Span, _flow, x);
            b.ClientProof(_serverRecord.Id, _nonce, _values.SaBinding.Span, _flow, y);
            if (!x.SequenceEqual(y))
            {
                throw new InvalidOperationException("The two ends' records hold different secrets.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tls.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _certificate.Dispose();
        _secret.Dispose();
    }

    /// <summary>First contact, client: derive the session's keys from the exporter value and MAC the binding values.</summary>
    [Benchmark]
    public void FirstContact_ClientProof_Create()
    {
        using var keys = new FirstContactKeys(_exporter);
        keys.ClientProof(_values.Available, _values, _clientProof);
    }

    /// <summary>First contact, both ends of the client's proof (the goal row for first contact; TLS exporter not included).</summary>
    [Benchmark]
    public bool FirstContact_CreateAndVerify()
    {
        Span<byte> proof = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[32];
        using (var client = new FirstContactKeys(_exporter))
        {
            client.ClientProof(_values.Available, _values, proof);
        }

        using var server = new FirstContactKeys(_exporter);
        server.ClientProof(_values.Available, _values, expected);
        return ConstantTimeBytes.AreEqual(proof, expected);
    }

    /// <summary>First contact, the server's answer: its proof and the binding secret, from keys it already holds.</summary>
    [Benchmark]
    public void FirstContact_ServerProofAndSecret()
    {
        using var keys = new FirstContactKeys(_exporter);
        keys.ServerProof(_values.Available, _values, _clientProof, _id, 86400, _clientProof);
        keys.DeriveSecret(_id).Dispose();
    }

    /// <summary>
    /// Later connection, both ends of the client's proof with the keys each end's record keeps (derived on its first
    /// resume, kept HMAC contexts): what every resume after the first costs. The goal row for resume.
    /// </summary>
    [Benchmark]
    public bool Resume_CreateAndVerify_KeptKeys()
    {
        Span<byte> proof = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[32];
        _clientRecord.ResumeKeys.ClientProof(_clientRecord.Id, _nonce, _values.SaBinding.Span, _flow, proof);
        _serverRecord.ResumeKeys.ClientProof(_serverRecord.Id, _nonce, _values.SaBinding.Span, _flow, expected);
        return ConstantTimeBytes.AreEqual(proof, expected);
    }

    /// <summary>Later connection, both ends deriving the binding's keys afresh (a record's first resume).</summary>
    [Benchmark]
    public bool Resume_CreateAndVerify()
    {
        Span<byte> proof = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[32];
        using (var client = new ResumeKeys(_secret))
        {
            client.ClientProof(_id, _nonce, _values.SaBinding.Span, _flow, proof);
        }

        using var server = new ResumeKeys(_secret);
        server.ClientProof(_id, _nonce, _values.SaBinding.Span, _flow, expected);
        return ConstantTimeBytes.AreEqual(proof, expected);
    }

    /// <summary>The whole later-connection exchange through the public API: challenge, client proof, server verify and answer, client check.</summary>
    [Benchmark]
    public bool Resume_Exchange()
    {
        var challenge = _exchange.IssueChallenge();
        using var state = _exchange.BeginClientResume(_clientRecord, challenge.Message, _channel, _clientFlow);
        var answer = _exchange.VerifyClientResume(challenge, state.Request, _serverRecord, _channel, _serverFlow);
        _exchange.CompleteClientResume(state, answer);
        return true;
    }

    /// <summary>The whole first-contact exchange through the public API over real TLS 1.3 (both TLS exporters included).</summary>
    [Benchmark]
    public void FirstContact_Exchange_RealTls()
    {
        var (client, server) = FirstContact();
        client.Dispose();
        server.Dispose();
    }

    private (ChannelBindingRecord Client, ChannelBindingRecord Server) FirstContact()
    {
        using var state = _exchange.BeginClientFirstContact(_tls.Client, _channel);
        var (response, server) = _exchange.AcceptClientFirstContact(_tls.Server, _channel, state.Request, IpsecIdentity.Unauthenticated, null)!.Value;
        var client = _exchange.CompleteClientFirstContact(state, response, IpsecIdentity.Unauthenticated, "localhost:443");
        return (client, server);
    }
}
