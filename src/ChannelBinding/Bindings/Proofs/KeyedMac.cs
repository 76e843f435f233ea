using System.Security.Cryptography;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// HMAC-SHA256 under one fixed key, with a kept OpenSSL context: <see cref="IncrementalHash.GetHashAndReset(Span{byte})"/>
/// re-arms the context with the same key, so a repeated MAC skips the provider lookup that dominates a one-shot
/// <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> (docs/performance.md 6.5).
/// Thread-safe: one caller uses the context at a time; a caller that finds it busy computes a one-shot MAC instead of
/// waiting. The owner keeps the key buffer and zeroes it after Dispose, which frees the context (OpenSSL clears its copy).
/// </summary>
internal sealed class KeyedMac : IDisposable
{
    private readonly byte[] _key;
    private readonly IncrementalHash _context;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="key">The key, kept by reference (a pinned buffer its owner zeroes after disposing this).</param>
    public KeyedMac(byte[] key)
    {
        _key = key;
        _context = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
    }

    /// <summary>MAC = HMAC-SHA256(key, <paramref name="data"/>), 32 octets into <paramref name="mac"/>.</summary>
    /// <exception cref="ObjectDisposedException">After Dispose.</exception>
    public void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (!_lock.TryEnter())
        {
            // Busy (another connection of the same binding): a one-shot MAC costs one provider lookup, never a wait.
            // The owner zeroes the key only after Dispose has set _disposed: a MAC over a key being zeroed is never returned.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            HMACSHA256.HashData(_key, data, mac);
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            return;
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _context.AppendData(data);
            _context.GetHashAndReset(mac);
        }
        finally
        {
            _lock.Exit();
        }
    }

    public void Dispose()
    {
        using (_lock.EnterScope())
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            _context.Dispose();
        }
    }
}
