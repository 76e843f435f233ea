using System.Security.Cryptography;
using CbbToolkit.Channels;
using CsCheck;
using Xunit;

namespace CbbToolkit.Channels.Tests.Model;

/// <summary>
/// <see cref="ConstantTimeBytes"/> against the runtime's <see cref="CryptographicOperations.FixedTimeEquals"/>: the same
/// answer for every length 0-300 (so every mix of 32-, 16-, 8-octet blocks and byte tail) and for inputs that differ in
/// exactly one octet at every position, with one bit or a whole octet flipped.
/// </summary>
public sealed class ConstantTimeBytesTests
{
    private const int MaxLength = 300;

    [Fact]
    public void EqualsFixedTimeEquals_RandomInputs() =>
        Gen.Int[0, MaxLength].SelectMany(n => Gen.Select(Gen.Byte.Array[n], Gen.Byte.Array[n]))
            .Sample((a, b) => Assert.Equal(CryptographicOperations.FixedTimeEquals(a, b), ConstantTimeBytes.AreEqual(a, b)), iter: 2_000);

    [Fact]
    public void EqualsFixedTimeEquals_EqualAndDifferentLengths() =>
        Gen.Select(Gen.Byte.Array[0, MaxLength], Gen.Int[0, MaxLength]).Sample((a, other) =>
        {
            var copy = (byte[])a.Clone();
            Assert.True(ConstantTimeBytes.AreEqual(a, copy));
            var resized = new byte[other];
            a.AsSpan(0, Math.Min(a.Length, other)).CopyTo(resized); // a prefix or an extension with zeros
            Assert.Equal(CryptographicOperations.FixedTimeEquals(a, resized), ConstantTimeBytes.AreEqual(a, resized));
        }, iter: 2_000);

    [Fact]
    public void EveryLength_EveryPosition_OneOctetDiffers()
    {
        var random = new Random(8);
        for (var length = 0; length <= MaxLength; length++)
        {
            var a = new byte[length];
            random.NextBytes(a);
            var b = (byte[])a.Clone();
            Assert.True(ConstantTimeBytes.AreEqual(a, b), $"length {length}: equal inputs");
            for (var at = 0; at < length; at++)
            {
                foreach (var flip in (byte[])[0x01, 0x80, 0xff])
                {
                    b[at] ^= flip;
                    Assert.False(ConstantTimeBytes.AreEqual(a, b), $"length {length}: octet {at} ^ 0x{flip:x2} not seen");
                    Assert.Equal(CryptographicOperations.FixedTimeEquals(a, b), ConstantTimeBytes.AreEqual(a, b));
                    b[at] ^= flip;
                }
            }
        }
    }

    [Fact]
    public void NearEqual_Generated() =>
        Gen.Int[1, MaxLength].SelectMany(n => Gen.Select(Gen.Byte.Array[n], Gen.Int[0, n - 1], Gen.Byte[1, 255]))
            .Sample((a, at, flip) =>
            {
                var b = (byte[])a.Clone();
                b[at] ^= flip;
                Assert.False(ConstantTimeBytes.AreEqual(a, b));
                Assert.False(ConstantTimeBytes.AreEqual(b, a));
            }, iter: 2_000);

    [Fact]
    public void Slices_AtAnyAlignment()
    {
        var buffer = RandomNumberGenerator.GetBytes(MaxLength + 64);
        for (var offset = 0; offset < 33; offset++)
        {
            for (var length = 0; length <= 100; length++)
            {
                var slice = buffer.AsSpan(offset, length);
                Assert.True(ConstantTimeBytes.AreEqual(slice, slice.ToArray()));
                Assert.Equal(CryptographicOperations.FixedTimeEquals(slice, buffer.AsSpan(offset + 1, length)),
                    ConstantTimeBytes.AreEqual(slice, buffer.AsSpan(offset + 1, length)));
            }
        }
    }
}
