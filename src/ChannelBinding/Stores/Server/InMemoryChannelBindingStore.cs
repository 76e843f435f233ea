using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The default <see cref="IChannelBindingStore"/>: bindings of one server process in memory, expiring by the
/// <see cref="TimeProvider"/>'s clock. Not shared between processes (use <see cref="DistributedChannelBindingStore"/>
/// for a farm) and gone on restart: clients then fall back to TLS and bind again. Disposing it zeroes every secret.
/// </summary>
public sealed class InMemoryChannelBindingStore : IChannelBindingStore, IDisposable
{
    private readonly Dictionary<BindingId, ChannelBindingRecord> _bindings = [];
    private readonly Dictionary<BindingId, DateTimeOffset> _revokedUntil = [];
    private readonly Lock _lock = new();
    private readonly InMemoryChannelBindingStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StoreMetrics _metrics;
    private bool _disposed;

    /// <summary>A store with the given options, clock, logger and metrics (all optional).</summary>
    /// <exception cref="OptionsValidationException">When the options are invalid.</exception>
    public InMemoryChannelBindingStore(
        IOptions<InMemoryChannelBindingStoreOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILogger<InMemoryChannelBindingStore>? logger = null,
        StoreMetrics? metrics = null)
    {
        _options = OptionsCheck.Validated(options, new InMemoryChannelBindingStoreOptionsValidator());
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics ?? StoreMetrics.Shared;
    }

    /// <summary>How many bindings and revocations are held now (expired ones until the next sweep).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _bindings.Count + _revokedUntil.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask CreateAsync(ChannelBindingRecord record, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        ChannelBindingRecords.ValidateForServerStore(record, now, _options.MaxLifetime);
        var copy = ChannelBindingRecords.Copy(record);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_bindings.ContainsKey(record.Id) || _revokedUntil.ContainsKey(record.Id))
            {
                copy.Dispose();
                throw new ChannelBindingStoreException(IpsecError.AlreadyExists, $"Binding {record.Id} already exists or was revoked; a new binding needs a new id.");
            }

            if (_bindings.Count + _revokedUntil.Count >= _options.MaxBindings)
            {
                SweepLocked(now);
            }

            if (_bindings.Count + _revokedUntil.Count >= _options.MaxBindings)
            {
                copy.Dispose();
                throw new ChannelBindingStoreException(IpsecError.NoBufferSpace,
                    $"The binding store holds its maximum of {_options.MaxBindings} live bindings; raise MaxBindings or shorten their lifetime.");
            }

            _bindings.Add(record.Id, copy);
        }

        _metrics.Created();
        StoreLog.BindingStored(_logger, record.Id.ToString(), record.ExpiresAt);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<ChannelBindingLookup> FindAsync(BindingId id, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        ChannelBindingLookup lookup;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_revokedUntil.ContainsKey(id))
            {
                lookup = ChannelBindingLookup.Revoked;
            }
            else if (!_bindings.TryGetValue(id, out var record))
            {
                lookup = ChannelBindingLookup.NotFound;
            }
            else if (record.IsExpiredAt(now))
            {
                _bindings.Remove(id);
                record.Dispose();
                lookup = ChannelBindingLookup.Expired;
            }
            else
            {
                lookup = ChannelBindingLookup.Found(ChannelBindingRecords.Copy(record));
            }
        }

        _metrics.Lookup(StoreMetrics.Name(lookup.Status));
        if (lookup.Status is ChannelBindingLookupStatus.Revoked or ChannelBindingLookupStatus.Expired)
        {
            StoreLog.BindingRefused(_logger, id.ToString(), lookup.Status);
        }

        return ValueTask.FromResult(lookup);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeAsync(BindingId id, CancellationToken cancellationToken = default)
    {
        if (id.IsEmpty)
        {
            throw new ArgumentException("A binding id is needed.", nameof(id));
        }

        var now = _time.GetUtcNow();
        bool wasStored;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            wasStored = _bindings.Remove(id, out var record) && !record.IsExpiredAt(now);
            var until = record?.ExpiresAt ?? now + _options.MaxLifetime;
            record?.Dispose();
            _revokedUntil[id] = _revokedUntil.TryGetValue(id, out var earlier) && earlier > until ? earlier : until;
        }

        _metrics.Revoked();
        StoreLog.BindingRevoked(_logger, id.ToString(), wasStored);
        return ValueTask.FromResult(wasStored);
    }

    /// <inheritdoc/>
    public ValueTask<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        int swept;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            swept = SweepLocked(_time.GetUtcNow());
        }

        StoreLog.Swept(_logger, swept);
        return ValueTask.FromResult(swept);
    }

    /// <summary>Zeroes every stored secret; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var record in _bindings.Values)
            {
                record.Dispose();
            }

            _bindings.Clear();
            _revokedUntil.Clear();
            _disposed = true;
        }
    }

    private int SweepLocked(DateTimeOffset now)
    {
        var expired = _bindings.Where(pair => pair.Value.IsExpiredAt(now)).Select(pair => pair.Key).ToList();
        foreach (var id in expired)
        {
            _bindings.Remove(id, out var record);
            record!.Dispose();
        }

        // A revocation can go once its binding would have expired anyway: the id is refused as expired or unknown.
        var lapsed = _revokedUntil.Where(pair => now >= pair.Value).Select(pair => pair.Key).ToList();
        foreach (var id in lapsed)
        {
            _revokedUntil.Remove(id);
        }

        return expired.Count + lapsed.Count;
    }
}
