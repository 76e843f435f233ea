using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// The shared shape of the draft's pointer types: a mutable slot holding an immutable value, replaced atomically by the
/// set functions and emptied for good by the free functions - or by <see cref="Dispose"/>, so <c>using</c> frees it too.
/// </summary>
/// <typeparam name="T">The immutable value the handle holds.</typeparam>
public abstract class DraftHandle<T> : IDisposable where T : class
{
    private T? _value;

    /// <summary>Wraps a value built with the .NET API so the draft's functions can use it.</summary>
    private protected DraftHandle(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Frees the handle, as the draft's free function does; a second call does nothing.</summary>
    public void Dispose()
    {
        TryFree();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether the draft's free function (or <see cref="Dispose"/>) was called on the handle.</summary>
    public bool IsFreed => Volatile.Read(ref _value) is null;

    /// <inheritdoc/>
    public override string ToString() => Volatile.Read(ref _value)?.ToString() ?? $"{GetType().Name} {{ freed }}";

    /// <summary>The value, or null once freed.</summary>
    internal T? Current => Volatile.Read(ref _value);

    /// <summary>The value; a typed error naming <paramref name="freeFunction"/> once freed.</summary>
    private protected T ValueOrThrow(string what, string freeFunction) => Volatile.Read(ref _value)
        ?? throw new IpsecException(IpsecError.InvalidArgument, $"The {what} handle was freed with {freeFunction}.");

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/>; false when the handle changed or was freed meanwhile.</summary>
    internal bool TryReplace(T current, T next) =>
        ReferenceEquals(Interlocked.CompareExchange(ref _value, next, current), current);

    /// <summary>Empties the handle; false when it was already freed.</summary>
    internal bool TryFree() => Interlocked.Exchange(ref _value, null) is not null;
}
