using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// The identifier of a channel binding: 16 random octets, written as 22 characters of base64url without padding
/// (RFC 4648 section 5). Not a secret: it names a binding, and only the binding's secret proves it.
/// </summary>
public readonly struct BindingId : IEquatable<BindingId>
{
    /// <summary>The length of an id in octets.</summary>
    public const int Length = 16;

    /// <summary>The length of an id's text form in characters.</summary>
    public const int TextLength = 22;

    private readonly byte[]? _bytes;

    private BindingId(byte[] bytes) => _bytes = bytes;

    /// <summary>The id's octets (a default id has none; it is never a valid binding's id).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Whether this is the default value rather than a real id.</summary>
    public bool IsEmpty => _bytes is null;

    /// <summary>A fresh id from the system's cryptographic random number generator.</summary>
    public static BindingId NewId() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>An id from its 16 octets.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not exactly 16 octets.</exception>
    public static BindingId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length
            ? new(bytes.ToArray())
            : throw new ArgumentException($"A binding id is exactly {Length} octets, not {bytes.Length}.", nameof(bytes));

    /// <summary>Parses the 22-character base64url form; false for anything else (padding, other alphabets, other lengths).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BindingId id)
    {
        id = default;
        if (text is null || text.Length != TextLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != TextLength || written != Length || !string.Equals(Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal))
        {
            return false; // the last check refuses non-canonical trailing bits
        }

        id = new(bytes.ToArray());
        return true;
    }

    /// <summary>Parses the 22-character base64url form.</summary>
    /// <exception cref="FormatException">For anything else.</exception>
    public static BindingId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"A binding id is {TextLength} characters of base64url without padding.");

    /// <summary>Compares the octets (ids are not secret; ordinary comparison is fine).</summary>
    public bool Equals(BindingId other) => Bytes.SequenceEqual(other.Bytes) && IsEmpty == other.IsEmpty;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BindingId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>The base64url form, or an empty string for the default value.</summary>
    public override string ToString() => _bytes is null ? string.Empty : Base64Url.EncodeToString(_bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(BindingId left, BindingId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(BindingId left, BindingId right) => !left.Equals(right);
}
