using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// Where a server keeps the bindings it made at first contact, so that a later connection naming a binding id can be
/// verified without TLS. Every implementation refuses expired and revoked bindings; a revoked id stays refused until
/// the binding would have expired. <see cref="InMemoryChannelBindingStore"/> serves one process,
/// <see cref="DistributedChannelBindingStore"/> a farm of servers sharing an <c>IDistributedCache</c>.
/// </summary>
public interface IChannelBindingStore
{
    /// <summary>Stores a copy of a server-side binding (the caller keeps and disposes its own record).</summary>
    /// <exception cref="ArgumentException">When the record is not a server's, has already expired, or lives longer than the
    /// store's maximum lifetime.</exception>
    /// <exception cref="ChannelBindingStoreException">When the id already exists or was revoked
    /// (<see cref="Ipsec.IpsecError.AlreadyExists"/>), or the store is full (<see cref="Ipsec.IpsecError.NoBufferSpace"/>).</exception>
    ValueTask CreateAsync(ChannelBindingRecord record, CancellationToken cancellationToken = default);

    /// <summary>Looks a binding up by id; a found record is a new copy the caller owns and disposes.</summary>
    /// <exception cref="ChannelBindingFormatException">When the stored entry is malformed or does not authenticate
    /// (treat it as a refusal: fall back to TLS).</exception>
    ValueTask<ChannelBindingLookup> FindAsync(BindingId id, CancellationToken cancellationToken = default);

    /// <summary>Revokes a binding: from now on every lookup of <paramref name="id"/> answers
    /// <see cref="ChannelBindingLookupStatus.Revoked"/>. True when a live binding was revoked, false when none was stored
    /// (the id is refused anyway).</summary>
    ValueTask<bool> RevokeAsync(BindingId id, CancellationToken cancellationToken = default);

    /// <summary>Removes expired bindings and revocations that outlived their binding; returns how many entries went.
    /// Stores whose backend expires entries itself return 0.</summary>
    ValueTask<int> SweepExpiredAsync(CancellationToken cancellationToken = default);
}
