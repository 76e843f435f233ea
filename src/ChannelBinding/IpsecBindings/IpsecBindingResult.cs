namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>An IPsec channel-binding value, or why there is none. <see cref="ToString"/> never prints the value.</summary>
public sealed class IpsecBindingResult
{
    private readonly byte[]? _value;

    private IpsecBindingResult(byte[]? value, IpsecBindingAbsence? absence, string? message)
    {
        _value = value;
        Absence = absence;
        Message = message;
    }

    /// <summary>The 32-octet value, or null when absent.</summary>
    // The cast matters: a bare null converts to ReadOnlyMemory<byte> (through the array conversion) as an empty,
    // non-null value.
    public ReadOnlyMemory<byte>? Value => _value is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(_value);

    /// <summary>Why the value is absent, or null when present.</summary>
    public IpsecBindingAbsence? Absence { get; }

    /// <summary>The reason in words, or null when present.</summary>
    public string? Message { get; }

    /// <summary>Whether the value is present.</summary>
    public bool HasValue => _value is not null;

    /// <summary>A present value (copied).</summary>
    public static IpsecBindingResult Of(ReadOnlySpan<byte> value) => new(value.ToArray(), null, null);

    /// <summary>An absent value with its reason.</summary>
    public static IpsecBindingResult Absent(IpsecBindingAbsence absence, string message) => new(null, absence, message);

    /// <summary>"present (32 octets)" or the reason; never the value.</summary>
    public override string ToString() => _value is null ? $"absent ({Absence}: {Message})" : $"present ({_value.Length} octets)";
}
