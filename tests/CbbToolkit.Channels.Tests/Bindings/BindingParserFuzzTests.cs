using System.Diagnostics;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CsCheck;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings;

/// <summary>
/// Fuzzing the proof (binary message) and header parsers with CsCheck: random input and mutations of valid encodings
/// either parse to a message that re-encodes to the same input, or are refused with a <see cref="ChannelBindingException"/>
/// carrying a defined reason - never another exception, never a hang (each run has a deadline, and each parse is timed against a generous bound that
/// catches super-linear blow-ups).
/// </summary>
public sealed class BindingParserFuzzTests
{
    private static readonly TimeSpan s_slowest = TimeSpan.FromSeconds(1);
    private static readonly BindingMessageType[] s_types = Enum.GetValues<BindingMessageType>();

    private static readonly Gen<BindingMessage> s_messages = Gen.OneOf(
        Gen.Select(Gen.OneOfConst(IpsecBindingValues.SaBinding, IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256), Gen.Byte.Array[32],
            (c, p) => BindingMessage.ClientFirstContact(c, p)),
        Gen.Select(Gen.Byte.Array[16], Gen.UInt[1, BindingMessage.MaxLifetimeSeconds], Gen.Byte.Array[32],
            (id, ttl, p) => BindingMessage.ServerFirstContact(IpsecBindingValues.SaBinding, BindingId.FromBytes(id), ttl, p)),
        Gen.Int[1, 14].Select(r => BindingMessage.Refusal((BindingFailureReason)r)),
        Gen.Byte.Array[32].Select(n => BindingMessage.Challenge(n)),
        Gen.Select(Gen.Byte.Array[16], Gen.Byte.Array[32], Gen.Byte.Array[32], (id, n, p) => BindingMessage.ClientResume(BindingId.FromBytes(id), n, p)),
        Gen.Byte.Array[32].Select(p => BindingMessage.ServerResume(p)));

    // Mutations of valid encodings reach far deeper into the parser than random bytes alone.
    private static readonly Gen<byte[]> s_binary = Gen.OneOf(
        Gen.Byte.Array[0, 300],
        Gen.Select(s_messages, Gen.Int.NonNegative, Gen.Byte, Gen.Int[0, 3], (m, at, value, how) =>
        {
            var bytes = BindingMessageCodec.Encode(m).ToList();
            var i = at % bytes.Count;
            switch (how)
            {
                case 0: bytes[i] = value; break;
                case 1: bytes.RemoveAt(i); break;
                case 2: bytes.Insert(i, value); break;
                default: bytes.RemoveRange(i, bytes.Count - i); break;
            }

            return bytes.ToArray();
        }));

    private static readonly Gen<string> s_header = Gen.OneOf(
        Gen.String[Gen.Char['\0', '\u007f'], 0, 600],
        Gen.String[Gen.Char.AlphaNumeric, 0, 100],
        Gen.Select(s_messages, Gen.Int.NonNegative, Gen.Char[' ', '~'], Gen.Int[0, 3], (m, at, c, how) =>
        {
            var text = BindingHeaderCodec.Format(m);
            var i = at % text.Length;
            return how switch
            {
                0 => text[..i] + c + text[(i + 1)..],
                1 => text.Remove(i, 1),
                2 => text.Insert(i, c.ToString()),
                _ => text[..i],
            };
        }));

    [Fact]
    public Task BinaryDecoder_TypedErrorOrRoundTrip() => Deadline(() =>
        s_binary.Sample(bytes => Bounded(() =>
        {
            try
            {
                var message = BindingMessageCodec.Decode(bytes);
                Assert.Equal(bytes, BindingMessageCodec.Encode(message)); // accepted input is canonical
            }
            catch (ChannelBindingException e)
            {
                Assert.True(Enum.IsDefined(e.Reason));
            }
        }), iter: 20_000));

    [Fact]
    public Task StreamFraming_TypedErrorOnAnyBytes() => Deadline(() =>
        s_binary.Sample(bytes => Bounded(() =>
        {
            using var stream = new MemoryStream(bytes);
            try
            {
                var message = BindingFraming.ReadAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
                Assert.Equal(bytes.AsSpan(0, (int)stream.Position).ToArray(), BindingMessageCodec.Encode(message));
            }
            catch (ChannelBindingException e)
            {
                Assert.True(Enum.IsDefined(e.Reason));
            }
        }), iter: 5_000));

    [Fact]
    public Task HeaderParser_TypedErrorOrRoundTrip() => Deadline(() =>
        Gen.Select(s_header, Gen.OneOfConst(s_types)).Sample((text, type) => Bounded(() =>
        {
            try
            {
                var message = BindingHeaderCodec.Parse(type, text);
                Assert.Equal(type, message.Type);
                var again = BindingHeaderCodec.Parse(type, BindingHeaderCodec.Format(message));
                Assert.Equal(BindingMessageCodec.Encode(message), BindingMessageCodec.Encode(again));
            }
            catch (ChannelBindingException e)
            {
                Assert.True(Enum.IsDefined(e.Reason));
            }
        }), iter: 20_000));

    [Fact]
    public Task PlaintextEndpointParser_TypedError() => Deadline(() =>
        Gen.OneOf(s_header, Gen.Select(Gen.Int[-5, 70_000], Gen.Long[-5, 5_000_000_000], (p, ma) => $"v=1, port={p}, ma={ma}"))
            .Sample(text => Bounded(() =>
            {
                if (PlaintextEndpoint.TryParse(text, out var endpoint, out var error))
                {
                    Assert.InRange(endpoint.Port, 1, 65535);
                    Assert.Equal(endpoint, PlaintextEndpoint.Parse(endpoint.Format()));
                }
                else
                {
                    Assert.True(Enum.IsDefined(error.Reason));
                }
            }), iter: 10_000));

    [Fact]
    public Task BindingIdParser_NeverThrows() => Deadline(() =>
        Gen.OneOf(Gen.String[Gen.Char['\0', '\u00ff'], 0, 30], Gen.String[Gen.Char.AlphaNumeric, 22, 22]).Sample(text => Bounded(() =>
        {
            if (BindingId.TryParse(text, out var id))
            {
                Assert.Equal(text, id.ToString());
            }
        }), iter: 10_000));

    // The whole run must end: a parser that loops forever on some input fails the test instead of hanging the suite.
    private static Task Deadline(Action run) =>
        Task.Run(run, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);

    // A parse that takes longer than the bound would be a hang or a blow-up on this input: fail with the input's size.
    private static void Bounded(Action parse)
    {
        var clock = Stopwatch.StartNew();
        parse();
        Assert.True(clock.Elapsed < s_slowest, $"A parse took {clock.Elapsed.TotalMilliseconds:F0} ms.");
    }
}
