namespace CbbToolkit.NativeApi;

/// <summary>
/// Maps the opaque pointers handed to C to managed handles. A pointer encodes a marker, a slot index, a slot
/// generation and a kind, so a freed handle (generation moved on), a handle of the other kind and a pointer that never
/// came from here (wrong marker, no such slot) are all detected instead of dereferenced.
/// </summary>
/// <remarks>Thread safe: one lock guards the slots; lookups are short.</remarks>
internal sealed class HandleTable
{
    // Bits 56-62: marker (no user-space address on x86_64/arm64 reaches bit 56); 32-55: generation; 4-31: index; 0-3: kind.
    private const long Marker = 0x5CL << 56;
    private const long MarkerMask = 0x7FL << 56;
    private const int MaxSlots = 1 << 27;

    private readonly Lock _lock = new();
    private readonly List<Slot> _slots = [];
    private readonly Stack<int> _free = new();

    /// <summary>The process-wide table the exports use.</summary>
    public static HandleTable Shared { get; } = new();

    /// <summary>Stores <paramref name="value"/> and returns its opaque pointer; zero when the table is full.</summary>
    public nint Add(HandleKind kind, object value)
    {
        lock (_lock)
        {
            int index;
            if (_free.Count > 0)
            {
                index = _free.Pop();
            }
            else
            {
                if (_slots.Count >= MaxSlots)
                {
                    return 0;
                }

                index = _slots.Count;
                _slots.Add(default);
            }

            var generation = (_slots[index].Generation + 1) & 0xFF_FFFF;
            _slots[index] = new Slot(value, kind, generation);
            return (nint)(Marker | ((long)generation << 32) | ((long)index << 4) | (long)kind);
        }
    }

    /// <summary>The live value behind <paramref name="handle"/>, or null for a freed, foreign or other-kind pointer.</summary>
    public T? Get<T>(nint handle, HandleKind kind) where T : class
    {
        if (!TryDecode(handle, kind, out var index, out var generation))
        {
            return null;
        }

        lock (_lock)
        {
            return index < _slots.Count && _slots[index] is { Value: T value, Generation: var g, Kind: var k } && g == generation && k == kind
                ? value
                : null;
        }
    }

    /// <summary>Removes the handle and returns its value; null when it was not live.</summary>
    public T? Remove<T>(nint handle, HandleKind kind) where T : class
    {
        if (!TryDecode(handle, kind, out var index, out var generation))
        {
            return null;
        }

        lock (_lock)
        {
            if (index >= _slots.Count || _slots[index] is not { Value: T value, Generation: var g, Kind: var k } || g != generation || k != kind)
            {
                return null;
            }

            _slots[index] = new Slot(null, default, generation);
            _free.Push(index);
            return value;
        }
    }

    private static bool TryDecode(nint handle, HandleKind kind, out int index, out int generation)
    {
        var bits = (long)handle;
        index = (int)((bits >> 4) & (MaxSlots - 1));
        generation = (int)((bits >> 32) & 0xFF_FFFF);
        return (bits & MarkerMask) == Marker && (HandleKind)(bits & 0xF) == kind;
    }

    private readonly record struct Slot(object? Value, HandleKind Kind, int Generation);
}
