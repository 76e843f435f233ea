using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// The 32-octet secret of a channel binding (derived from the first-contact TLS exporter, docs/binding-protocol.md).
/// Held in a pinned buffer so the garbage collector never leaves copies behind; zeroed on <see cref="Dispose"/>;
/// compared in constant time; never printed. Read it only through <see cref="CopyTo"/>.
/// </summary>
public sealed class BindingSecret : IEquatable<BindingSecret>, IDisposable
{
    /// <summary>The length of every binding secret in octets.</summary>
    public const int Length = 32;

    private readonly byte[] _bytes = GC.AllocateUninitializedArray<byte>(Length, pinned: true);
    private bool _disposed;

    /// <summary>A secret holding a copy of <paramref name="secret"/> (the caller zeroes its own copy).</summary>
    /// <exception cref="ArgumentException">When <paramref name="secret"/> is not exactly <see cref="Length"/> octets.</exception>
    public BindingSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Length)
        {
            throw new ArgumentException($"A binding secret is exactly {Length} octets, not {secret.Length}.", nameof(secret));
        }

        secret.CopyTo(_bytes);
    }

    /// <summary>Whether <see cref="Dispose"/> has zeroed the secret.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Copies the secret into <paramref name="destination"/> (at least <see cref="Length"/> octets).</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    /// <exception cref="ArgumentException">When <paramref name="destination"/> is too short.</exception>
    public void CopyTo(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination must hold {Length} octets.", nameof(destination));
        }

        _bytes.CopyTo(destination);
    }

    /// <summary>A new secret with the same value (the copy is disposed separately).</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public BindingSecret Clone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new BindingSecret(_bytes);
    }

    /// <summary>Compares the value with <paramref name="other"/> in constant time.</summary>
    /// <exception cref="ObjectDisposedException">When either secret has been disposed.</exception>
    public bool Equals(BindingSecret? other)
    {
        if (other is null)
        {
            return false;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(other._disposed, other);
        return ConstantTimeBytes.AreEqual(_bytes, other._bytes);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BindingSecret);

    /// <summary>A constant: the value never feeds a hash that could leak it.</summary>
    public override int GetHashCode() => Length;

    /// <summary>Never the value.</summary>
    public override string ToString() => _disposed ? "BindingSecret(disposed)" : "BindingSecret([redacted])";

    /// <summary>Zeroes the secret; later reads throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_bytes);
        _disposed = true;
    }

    // For the protocol's own MAC computations: no copy. Callers must not keep the span.
    internal ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(_bytes), Length);
        }
    }
}
