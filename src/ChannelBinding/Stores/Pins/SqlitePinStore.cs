using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The durable <see cref="IPinStore"/>: one SQLite file (Microsoft.Data.Sqlite, WAL, synchronous=FULL, busy timeout)
/// that several processes may read and write at once. <see cref="PinAsync"/> returns after its transaction is fsynced,
/// so an acknowledged pin survives kill -9 and power loss; writers in other processes wait for each other instead of
/// losing writes. The file (0600) and its directory (0700) are created owner-only, and a store others could write or
/// read is refused (<see cref="PinStorePermissionException"/>). A damaged file or pin is a
/// <see cref="PinStoreCorruptException"/>, never an empty store. Lookups are served from memory and re-read when
/// another process changed the file (checked every <see cref="PinStoreOptions.RefreshInterval"/>). docs/pin-store.md.
/// </summary>
public sealed partial class SqlitePinStore : IPinStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StoreMetrics _metrics;
    private readonly long _refreshTicks;
    private volatile PinSnapshot _snapshot = PinSnapshot.Empty;
    private long _dataVersion;
    private long _nextRefresh;
    private bool _disposed;

    /// <summary>Opens (creating when missing) the store at <see cref="PinStoreOptions.Path"/> or the default path.</summary>
    /// <exception cref="OptionsValidationException">When the options are invalid.</exception>
    /// <exception cref="PinStorePermissionException">When the file or directory is open to others.</exception>
    /// <exception cref="PinStoreCorruptException">When the file is damaged or not a pin store.</exception>
    public SqlitePinStore(
        IOptions<PinStoreOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SqlitePinStore>? logger = null,
        StoreMetrics? metrics = null)
    {
        var settings = OptionsCheck.Validated(options, new PinStoreOptionsValidator());
        Path = System.IO.Path.GetFullPath(settings.Path ?? PinStoreOptions.DefaultPath);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics ?? StoreMetrics.Shared;
        _refreshTicks = (long)(settings.RefreshInterval.TotalSeconds * _time.TimestampFrequency);
        try
        {
            PinStoreFiles.PrepareForWriting(Path);
            _connection = OpenConnection(Path, settings.BusyTimeout);
            try
            {
                Initialize();
                Reload();
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        }
        catch (SqliteException e) when (IsCorruption(e))
        {
            StoreLog.PinStoreRefused(_logger, Path, e.Message);
            throw Corrupt(null, "SQLite cannot read it (" + e.Message + ")", e);
        }
        catch (ChannelBindingStoreException e)
        {
            StoreLog.PinStoreRefused(_logger, Path, e.Message);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing store, creating nothing (for listing or removing pins); null when the file does not exist.
    /// Permissions and integrity are checked first, as for a new store.
    /// </summary>
    /// <exception cref="PinStorePermissionException">When the file or directory is open to others.</exception>
    /// <exception cref="PinStoreCorruptException">When the file is damaged or not a pin store.</exception>
    public static SqlitePinStore? OpenExisting(IOptions<PinStoreOptions>? options = null, ILogger<SqlitePinStore>? logger = null)
    {
        var settings = OptionsCheck.Validated(options, new PinStoreOptionsValidator());
        var path = System.IO.Path.GetFullPath(settings.Path ?? PinStoreOptions.DefaultPath);
        return PinStoreFiles.CheckExisting(path) ? new SqlitePinStore(options, logger: logger) : null;
    }

    /// <summary>The store file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> DamagedPins
    {
        get
        {
            RefreshIfDue(force: true);
            return _snapshot.Damaged;
        }
    }

    /// <inheritdoc/>
    public ServerPin? Find(string authority)
    {
        var key = PinAuthority.Normalize(authority);
        RefreshIfDue(force: false);
        var snapshot = _snapshot;
        if (snapshot.Damaged.TryGetValue(key, out var problem))
        {
            throw Corrupt(key, problem);
        }

        return snapshot.Pins.GetValueOrDefault(key);
    }

    /// <inheritdoc/>
    public PinVerification Verify(string authority, ReadOnlySpan<byte> serverSpkiSha256, IpsecIdentity serverIpsecIdentity)
    {
        ArgumentNullException.ThrowIfNull(serverIpsecIdentity);
        var pin = Find(authority);
        if (pin is null)
        {
            return PinVerification.Unknown;
        }

        ThrowIfMismatch(pin.Authority, pin.ServerSpkiSha256.Span, pin.ServerIpsecIdentity, serverSpkiSha256, serverIpsecIdentity);
        return PinVerification.Match;
    }

    /// <inheritdoc/>
    public ValueTask<PinWriteOutcome> PinAsync(ChannelBindingRecord record, bool allowLeapOfFaith, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Role != ChannelRole.Client)
        {
            throw new ArgumentException("A pin store keeps client-side bindings only (the server's go to its binding store).", nameof(record));
        }

        var authority = PinAuthority.Normalize(record.ServerAuthority!);
        var now = _time.GetUtcNow();
        var blob = ChannelBindingRecordSerializer.Serialize(record);
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var outcome = WriteLocked(authority, record, blob, allowLeapOfFaith, now, out var pin);
                if (pin is not null)
                {
                    _snapshot = _snapshot.With(pin);
                }

                _metrics.PinWrite(outcome switch { PinWriteOutcome.Pinned => "pinned", PinWriteOutcome.BindingReplaced => "replaced", _ => "unchanged" });
                return ValueTask.FromResult(outcome);
            }
        }
        catch (SqliteException e) when (IsCorruption(e))
        {
            throw Corrupt(null, "SQLite cannot read it (" + e.Message + ")", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(blob);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ServerPin>> ListAsync(CancellationToken cancellationToken = default)
    {
        RefreshIfDue(force: true);
        IReadOnlyList<ServerPin> pins = [.. _snapshot.Pins.Values.OrderBy(p => p.Authority, StringComparer.Ordinal)];
        return ValueTask.FromResult(pins);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveAsync(string authority, CancellationToken cancellationToken = default)
    {
        var key = PinAuthority.Normalize(authority);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            bool removed;
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "DELETE FROM pins WHERE authority = $authority";
                command.Parameters.AddWithValue("$authority", key);
                removed = command.ExecuteNonQuery() > 0;
            }
            catch (SqliteException e) when (IsCorruption(e))
            {
                throw Corrupt(null, "SQLite cannot read it (" + e.Message + ")", e);
            }

            _snapshot = _snapshot.Without(key);
            if (removed)
            {
                StoreLog.PinRemoved(_logger, key);
            }

            return ValueTask.FromResult(removed);
        }
    }

    /// <summary>Closes the file and zeroes the cached secrets; pins handed out can no longer create binding records.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
            foreach (var pin in _snapshot.Pins.Values)
            {
                pin.Binding.Dispose();
            }

            _snapshot = PinSnapshot.Empty;
        }
    }
}
