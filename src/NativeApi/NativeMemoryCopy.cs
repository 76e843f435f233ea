using System.Runtime.InteropServices;

namespace CbbToolkit.NativeApi;

/// <summary>Copies attribute values into malloc'd memory the C caller releases with free().</summary>
internal static unsafe class NativeMemoryCopy
{
    /// <summary>A malloc'd copy of <paramref name="value"/> (at least one byte so an empty value is not NULL); null when out of memory.</summary>
    public static void* ToMalloc(ReadOnlySpan<byte> value)
    {
        // NativeMemory.Alloc is malloc on Linux, so the caller's free() releases it.
        var p = NativeMemory.Alloc((nuint)Math.Max(1, value.Length));
        value.CopyTo(new Span<byte>(p, value.Length));
        return p;
    }
}
