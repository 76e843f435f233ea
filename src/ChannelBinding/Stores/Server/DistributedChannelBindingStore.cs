using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// An <see cref="IChannelBindingStore"/> over an <see cref="IDistributedCache"/> (Redis, SQL Server, ...), so that every
/// server of a farm behind a load balancer verifies the bindings any of them made. Each entry is the record's canonical
/// form (<see cref="ChannelBindingRecordSerializer"/>) protected with ASP.NET Core Data Protection under a purpose that
/// names the binding id: the cache never sees a secret in clear, and an entry copied under another id, altered or
/// protected with other keys is refused with <see cref="ChannelBindingFormatException"/>. The farm members must share
/// their Data Protection key ring and application name. Revocation writes a marker that every member checks on each
/// lookup, kept until the binding would have expired; entries expire in the cache after the binding's remaining lifetime (by this store's clock), and every
/// lookup also checks the record's own expiry.
/// </summary>
public sealed class DistributedChannelBindingStore : IChannelBindingStore
{
    /// <summary>The Data Protection purpose of binding entries (then the binding id as a sub-purpose).</summary>
    public const string ProtectorPurpose = "CbbToolkit.Channels.Stores.DistributedChannelBindingStore.v1";

    private static readonly byte[] s_revokedMarker = [1];

    private readonly IDistributedCache _cache;
    private readonly IDataProtector _protector;
    private readonly DistributedChannelBindingStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StoreMetrics _metrics;

    /// <summary>A store over <paramref name="cache"/>, protecting entries with <paramref name="dataProtection"/>.</summary>
    /// <exception cref="OptionsValidationException">When the options are invalid.</exception>
    public DistributedChannelBindingStore(
        IDistributedCache cache,
        IDataProtectionProvider dataProtection,
        IOptions<DistributedChannelBindingStoreOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILogger<DistributedChannelBindingStore>? logger = null,
        StoreMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(dataProtection);
        _cache = cache;
        _protector = dataProtection.CreateProtector(ProtectorPurpose);
        _options = OptionsCheck.Validated(options, new DistributedChannelBindingStoreOptionsValidator());
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics ?? StoreMetrics.Shared;
    }

    /// <inheritdoc/>
    /// <remarks>The duplicate check and the write are two cache operations (IDistributedCache has no compare-and-set); ids
    /// are 128 random bits, so only a caller reusing an id could race, and a revoked id is refused either way.</remarks>
    public async ValueTask CreateAsync(ChannelBindingRecord record, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        ChannelBindingRecords.ValidateForServerStore(record, now, _options.MaxLifetime);
        var key = BindingKey(record.Id);
        var revoked = _cache.GetAsync(RevokedKey(record.Id), cancellationToken);
        var existing = _cache.GetAsync(key, cancellationToken);
        var wasRevoked = await revoked.ConfigureAwait(false) is not null;
        var exists = await existing.ConfigureAwait(false) is not null; // both awaited: neither read is left unobserved
        if (wasRevoked || exists)
        {
            throw new ChannelBindingStoreException(IpsecError.AlreadyExists, $"Binding {record.Id} already exists or was revoked; a new binding needs a new id.");
        }

        var plain = ChannelBindingRecordSerializer.Serialize(record);
        byte[] entry;
        try
        {
            entry = ProtectorFor(record.Id).Protect(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        await _cache.SetAsync(key, entry, ExpiresIn(record.ExpiresAt - now), cancellationToken)
            .ConfigureAwait(false);
        _metrics.Created();
        StoreLog.BindingStored(_logger, record.Id.ToString(), record.ExpiresAt);
    }

    /// <inheritdoc/>
    public async ValueTask<ChannelBindingLookup> FindAsync(BindingId id, CancellationToken cancellationToken = default)
    {
        if (id.IsEmpty)
        {
            return ChannelBindingLookup.NotFound;
        }

        // Both reads every time: a revocation marker wins even when removing the entry itself failed.
        var revokedRead = _cache.GetAsync(RevokedKey(id), cancellationToken);
        var entryRead = _cache.GetAsync(BindingKey(id), cancellationToken);
        var revoked = await revokedRead.ConfigureAwait(false);
        var entry = await entryRead.ConfigureAwait(false);
        var lookup = revoked is not null ? ChannelBindingLookup.Revoked
            : entry is null ? ChannelBindingLookup.NotFound
            : Open(id, entry);
        _metrics.Lookup(StoreMetrics.Name(lookup.Status));
        if (lookup.Status is ChannelBindingLookupStatus.Revoked or ChannelBindingLookupStatus.Expired)
        {
            StoreLog.BindingRefused(_logger, id.ToString(), lookup.Status);
        }

        return lookup;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RevokeAsync(BindingId id, CancellationToken cancellationToken = default)
    {
        if (id.IsEmpty)
        {
            throw new ArgumentException("A binding id is needed.", nameof(id));
        }

        var now = _time.GetUtcNow();
        var until = now + _options.MaxLifetime;
        var wasStored = false;
        var entry = await _cache.GetAsync(BindingKey(id), cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            try
            {
                using var record = Unprotect(id, entry);
                wasStored = !record.IsExpiredAt(now);
                until = record.ExpiresAt > now ? record.ExpiresAt : now + TimeSpan.FromMinutes(1);
            }
            catch (ChannelBindingFormatException e)
            {
                // A bad entry is revoked for the longest lifetime: its real expiry cannot be trusted.
                StoreLog.BadEntry(_logger, id.ToString(), e.Problem);
            }
        }

        // The marker first: if removing the entry fails, the id is refused all the same.
        await _cache.SetAsync(RevokedKey(id), s_revokedMarker, ExpiresIn(until - now), cancellationToken)
            .ConfigureAwait(false);
        await _cache.RemoveAsync(BindingKey(id), cancellationToken).ConfigureAwait(false);
        _metrics.Revoked();
        StoreLog.BindingRevoked(_logger, id.ToString(), wasStored);
        return wasStored;
    }

    /// <summary>Returns 0: the cache expires every entry at its binding's expiry on its own.</summary>
    public ValueTask<int> SweepExpiredAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    private ChannelBindingLookup Open(BindingId id, byte[] entry)
    {
        ChannelBindingRecord record;
        try
        {
            record = Unprotect(id, entry);
        }
        catch (ChannelBindingFormatException e)
        {
            _metrics.Lookup("bad-entry");
            StoreLog.BadEntry(_logger, id.ToString(), e.Problem);
            throw;
        }

        if (record.IsExpiredAt(_time.GetUtcNow()))
        {
            record.Dispose();
            return ChannelBindingLookup.Expired;
        }

        return ChannelBindingLookup.Found(record);
    }

    private ChannelBindingRecord Unprotect(BindingId id, byte[] entry)
    {
        byte[] plain;
        try
        {
            plain = ProtectorFor(id).Unprotect(entry);
        }
        catch (CryptographicException e)
        {
            throw new ChannelBindingFormatException(-1, "the entry does not authenticate under this farm's Data Protection keys for this id", e);
        }

        try
        {
            var record = ChannelBindingRecordSerializer.Deserialize(plain);
            if (record.Id != id || record.Role != ChannelRole.Server)
            {
                record.Dispose();
                throw new ChannelBindingFormatException(-1, "the entry is not the server binding of this id");
            }

            return record;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    // Relative to our own clock: the cache computes an absolute time from its clock, and a farm member whose clock (or
    // TimeProvider) differs from the cache's must still get the binding's lifetime, not an entry that is already gone.
    private static DistributedCacheEntryOptions ExpiresIn(TimeSpan lifetime) =>
        new() { AbsoluteExpirationRelativeToNow = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1) };

    private IDataProtector ProtectorFor(BindingId id) => _protector.CreateProtector(id.ToString());

    private string BindingKey(BindingId id) => $"{_options.KeyPrefix}b:{id}";

    private string RevokedKey(BindingId id) => $"{_options.KeyPrefix}r:{id}";
}
