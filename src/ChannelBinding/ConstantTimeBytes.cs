using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CbbToolkit.Channels;

/// <summary>
/// Constant-time comparison of binding values, proofs and secrets: the time depends on the lengths only, never on the
/// contents or on where two inputs differ.
/// </summary>
/// <remarks>
/// Why not <see cref="System.Security.Cryptography.CryptographicOperations.FixedTimeEquals"/>: the runtime compiles
/// it with <c>NoOptimization</c> (so the JIT cannot turn its loop into one with an early exit), which makes a
/// 32-octet compare cost 125-190 ns here - more than the whole <see cref="ChannelInfo.BindingEquals"/> budget. This
/// version gets the same guarantee by construction instead: it XORs whole 32-, 16- and 8-octet blocks and ORs every
/// difference into one accumulator, then a byte tail, with no branch on the data and no exit before the end; only
/// the final accumulator is tested. The JIT cannot prove anything about an OR-accumulation of loaded data, so it has
/// no early exit to introduce. <c>NoInlining</c> keeps one shared body: inlined, the JIT could specialise the
/// comparison to a call site's constant length or fold it into the caller's branches.
/// </remarks>
internal static class ConstantTimeBytes
{
    /// <summary>Whether the two spans hold the same octets; false at once for different lengths (lengths are not secret).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool AreEqual(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        ref var a = ref MemoryMarshal.GetReference(left);
        ref var b = ref MemoryMarshal.GetReference(right);
        var length = (nuint)left.Length;
        nuint i = 0;
        ulong difference = 0;
        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<byte>.Count)
        {
            var wide = Vector256<byte>.Zero;
            for (; i + (nuint)Vector256<byte>.Count <= length; i += (nuint)Vector256<byte>.Count)
            {
                wide |= Vector256.LoadUnsafe(ref a, i) ^ Vector256.LoadUnsafe(ref b, i);
            }

            var folded = (wide.GetLower() | wide.GetUpper()).AsUInt64();
            difference |= folded.GetElement(0) | folded.GetElement(1);
        }

        if (Vector128.IsHardwareAccelerated && length - i >= (nuint)Vector128<byte>.Count)
        {
            var narrow = Vector128<byte>.Zero;
            for (; i + (nuint)Vector128<byte>.Count <= length; i += (nuint)Vector128<byte>.Count)
            {
                narrow |= Vector128.LoadUnsafe(ref a, i) ^ Vector128.LoadUnsafe(ref b, i);
            }

            var folded = narrow.AsUInt64();
            difference |= folded.GetElement(0) | folded.GetElement(1);
        }

        for (; i + sizeof(ulong) <= length; i += sizeof(ulong))
        {
            difference |= Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref a, i)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, i));
        }

        for (; i < length; i++)
        {
            difference |= (uint)(Unsafe.Add(ref a, i) ^ Unsafe.Add(ref b, i));
        }

        return difference == 0;
    }
}
