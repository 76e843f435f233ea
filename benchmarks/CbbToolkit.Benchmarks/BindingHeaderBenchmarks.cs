using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Issue 8: the binding messages' encodings (docs/binding-protocol.md): the HTTP header values (RFC 8941 dictionaries)
/// and the binary form, for the largest message of each stage (ClientResume, ServerFirstContact).
/// </summary>
[MemoryDiagnoser]
public class BindingHeaderBenchmarks
{
    private BindingMessage _resume = null!;
    private BindingMessage _bindResult = null!;
    private string _resumeHeader = null!;
    private string _bindResultHeader = null!;
    private byte[] _resumeBinary = null!;

    [GlobalSetup]
    public void Setup()
    {
        var id = BindingId.NewId();
        _resume = BindingMessage.ClientResume(id, SHA256.HashData("nonce"u8), SHA256.HashData("proof"u8));
        _bindResult = BindingMessage.ServerFirstContact(IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256, id, 86400, SHA256.HashData("proof"u8));
        _resumeHeader = BindingHeaderCodec.Format(_resume);
        _bindResultHeader = BindingHeaderCodec.Format(_bindResult);
        _resumeBinary = BindingMessageCodec.Encode(_resume);
        if (!Same(_resume, Parse_Resume()) || !Same(_bindResult, Parse_BindResult()) || !Same(_resume, Decode_Resume()))
        {
            throw new InvalidOperationException("An encoding does not round-trip.");
        }
    }

    [Benchmark]
    public string Format_Resume() => BindingHeaderCodec.Format(_resume);

    [Benchmark]
    public BindingMessage Parse_Resume() => BindingHeaderCodec.Parse(BindingMessageType.ClientResume, _resumeHeader);

    [Benchmark]
    public string Format_BindResult() => BindingHeaderCodec.Format(_bindResult);

    [Benchmark]
    public BindingMessage Parse_BindResult() => BindingHeaderCodec.Parse(BindingMessageType.ServerFirstContact, _bindResultHeader);

    [Benchmark]
    public byte[] Encode_Resume() => BindingMessageCodec.Encode(_resume);

    [Benchmark]
    public BindingMessage Decode_Resume() => BindingMessageCodec.Decode(_resumeBinary);

    private static bool Same(BindingMessage a, BindingMessage b) =>
        a.Type == b.Type && a.Covered == b.Covered && a.BindingId == b.BindingId && a.LifetimeSeconds == b.LifetimeSeconds
        && a.Proof.Span.SequenceEqual(b.Proof.Span) && a.Nonce.Span.SequenceEqual(b.Nonce.Span);
}
