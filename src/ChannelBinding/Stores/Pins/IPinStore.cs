using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// A client's pins, like OpenSSH's known_hosts: per server authority the server's TLS identity, its IPsec identity
/// and the latest binding. A pin is written only by <see cref="PinAsync"/> (first contact with leap of faith, or the
/// same identities with a new binding); a different identity at a pinned authority is refused with
/// <see cref="PinMismatchException"/>. <see cref="SqlitePinStore"/> is the durable implementation.
/// </summary>
public interface IPinStore
{
    /// <summary>The pin of <paramref name="authority"/> (host:port), or null when there is none.</summary>
    /// <exception cref="ArgumentException">When the authority is not host:port.</exception>
    /// <exception cref="PinStoreCorruptException">When the pin is damaged (never reported as absent).</exception>
    ServerPin? Find(string authority);

    /// <summary>Checks a presented server identity against the pin of <paramref name="authority"/>.</summary>
    /// <exception cref="PinMismatchException">When a pinned identity differs.</exception>
    /// <exception cref="PinStoreCorruptException">When the pin is damaged.</exception>
    PinVerification Verify(string authority, ReadOnlySpan<byte> serverSpkiSha256, IpsecIdentity serverIpsecIdentity);

    /// <summary>
    /// Stores a client-side binding as the pin of its server authority: pins an unknown server when
    /// <paramref name="allowLeapOfFaith"/>, replaces the binding of a known one whose identities match. Returns only
    /// after the pin is durable.
    /// </summary>
    /// <exception cref="ArgumentException">When the record is not a client's.</exception>
    /// <exception cref="PinMismatchException">When the authority is pinned with other identities (nothing stored).</exception>
    /// <exception cref="PinNotTrustedException">When the authority is unknown and leap of faith is not allowed (nothing stored).</exception>
    ValueTask<PinWriteOutcome> PinAsync(ChannelBindingRecord record, bool allowLeapOfFaith, CancellationToken cancellationToken = default);

    /// <summary>Every valid pin, ordered by authority.</summary>
    ValueTask<IReadOnlyList<ServerPin>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The authorities whose pins are damaged, with what is wrong (remove them to pin those servers again).</summary>
    IReadOnlyDictionary<string, string> DamagedPins { get; }

    /// <summary>Removes the pin of <paramref name="authority"/> (damaged or not); true when there was one.</summary>
    ValueTask<bool> RemoveAsync(string authority, CancellationToken cancellationToken = default);
}
