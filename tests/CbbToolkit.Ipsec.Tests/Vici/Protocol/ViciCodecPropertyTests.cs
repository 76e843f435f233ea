using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Protocol;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici.Protocol;

public sealed class ViciCodecPropertyTests
{
    private static readonly Gen<byte[]> Entropy = Gen.Byte.Array[0, 300];

    /// <summary>Random messages: built from random bytes, so CsCheck can shrink a failure to a small message.</summary>
    internal static readonly Gen<ViciMessage> Messages = Entropy.Select(MessageBuilder.Build);

    [Fact]
    public void RandomBytes_DecodeOrBadMessage_AndValidOnesReencodeIdentically()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            ViciMessage m;
            try
            {
                m = ViciMessageCodec.Decode(bytes);
            }
            catch (ViciProtocolException)
            {
                return;
            }

            // The encoding is canonical: anything accepted encodes back to the same bytes.
            Assert.Equal(bytes, ViciMessageCodec.Encode(m).ToArray());
        }, iter: 20_000);
    }

    [Fact]
    public void RandomMessages_RoundTrip()
    {
        Messages.Sample(m =>
        {
            var bytes = ViciMessageCodec.Encode(m).ToArray();
            var back = ViciMessageCodec.Decode(bytes);
            MessageAssert.Equal(m, back);
            Assert.Equal(bytes, ViciMessageCodec.Encode(back).ToArray());
        }, iter: 5_000);
    }

    [Fact]
    public void CorruptedOrTruncatedMessages_DecodeOrBadMessage()
    {
        Gen.Select(Messages, Gen.Int[0, 3], Gen.Int, Gen.Byte).Sample((m, how, where, value) =>
        {
            var bytes = ViciMessageCodec.Encode(m).ToArray();
            if (bytes.Length == 0)
            {
                return;
            }

            var at = (int)((uint)where % (uint)bytes.Length);
            var damaged = how switch
            {
                0 => bytes[..at], // truncated
                1 => Flip(bytes, at, value),
                2 => [.. bytes[..at], value, .. bytes[at..]], // a byte inserted
                _ => [.. bytes[..at], .. bytes[(at + 1)..]], // a byte removed
            };
            try
            {
                ViciMessageCodec.Decode(damaged);
            }
            catch (ViciProtocolException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void RandomPackets_ParseOrBadMessage()
    {
        Gen.Select(Gen.Byte[0, 9], Gen.Byte.Array[0, 120]).Sample((type, rest) =>
        {
            try
            {
                var packet = ViciPacket.Parse((byte[])[type, .. rest]);
                packet.DecodeMessage();
            }
            catch (ViciProtocolException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void RandomMessagesInPackets_RoundTrip()
    {
        Gen.Select(Messages, Gen.OneOfConst(ViciPacketType.CmdRequest, ViciPacketType.CmdResponse, ViciPacketType.Event)).Sample((m, type) =>
        {
            var name = ViciPacket.IsNamed(type) ? "list-sa" : null;
            var segment = ViciPacket.Encode(type, name, m);
            var packet = ViciPacket.Parse(segment[ViciLimits.HeaderLength..]);
            Assert.Equal(type, packet.Type);
            Assert.Equal(name, packet.Name);
            MessageAssert.Equal(m, packet.DecodeMessage());
        }, iter: 2_000);
    }

    private static byte[] Flip(byte[] bytes, int at, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= value == 0 ? (byte)1 : value;
        return copy;
    }
}
