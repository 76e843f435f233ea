using CbbToolkit.Channels.Bindings;
using Microsoft.Data.Sqlite;

namespace CbbToolkit.Channels.Stores;

public sealed partial class SqlitePinStore
{
    private const long MaxUnixMilliseconds = 253402300799999; // 9999-12-31T23:59:59.999Z, DateTimeOffset's last

    // One IMMEDIATE transaction: the row is read and written under SQLite's write lock, so two processes pinning the
    // same authority cannot both take it for first contact, and a mismatch is judged against what is on disk now.
    private PinWriteOutcome WriteLocked(string authority, ChannelBindingRecord record, byte[] blob, bool allowLeapOfFaith, DateTimeOffset now, out ServerPin? pin)
    {
        pin = null;
        using var transaction = _connection.BeginTransaction(deferred: false);
        var existing = ReadRow(authority, transaction);
        var nowMs = now.ToUnixTimeMilliseconds();
        PinWriteOutcome outcome;
        if (existing is null)
        {
            if (!allowLeapOfFaith)
            {
                _metrics.PinWrite("not-trusted");
                StoreLog.PinNotTrusted(_logger, authority);
                throw new PinNotTrustedException(authority);
            }

            Write("INSERT INTO pins (authority, record, pinned_at, updated_at) VALUES ($authority, $record, $now, $now)", authority, blob, nowMs, transaction);
            outcome = PinWriteOutcome.Pinned;
            pin = new ServerPin(ChannelBindingRecords.Copy(record), authority, now, now);
        }
        else
        {
            if (existing.Value.Problem is { } problem)
            {
                throw Corrupt(authority, problem);
            }

            var old = existing.Value.Pin!;
            try
            {
                ThrowIfMismatch(authority, old.ServerSpkiSha256.Span, old.ServerIpsecIdentity, record.ServerSpkiSha256.Span, record.ServerIpsecIdentity);
            }
            catch (PinMismatchException)
            {
                old.Binding.Dispose();
                throw;
            }

            if (old.BindingId == record.Id)
            {
                old.Binding.Dispose();
                transaction.Rollback();
                return PinWriteOutcome.Unchanged;
            }

            Write("UPDATE pins SET record = $record, updated_at = $now WHERE authority = $authority", authority, blob, nowMs, transaction);
            outcome = PinWriteOutcome.BindingReplaced;
            pin = new ServerPin(ChannelBindingRecords.Copy(record), authority, old.PinnedAt, now);
            StoreLog.BindingReplaced(_logger, authority, old.BindingId.ToString(), record.Id.ToString());
            old.Binding.Dispose();
        }

        transaction.Commit(); // returns after the WAL is fsynced (synchronous = FULL)
        if (outcome == PinWriteOutcome.Pinned)
        {
            StoreLog.Pinned(_logger, authority, PinFingerprints.Spki(record.ServerSpkiSha256.Span), PinFingerprints.Ipsec(record.ServerIpsecIdentity), record.Id.ToString());
        }

        return outcome;
    }

    private void ThrowIfMismatch(string authority, ReadOnlySpan<byte> oldSpki, IpsecIdentity oldIpsec, ReadOnlySpan<byte> newSpki, IpsecIdentity newIpsec)
    {
        PinMismatchException? mismatch = null;
        if (!oldSpki.SequenceEqual(newSpki))
        {
            mismatch = new PinMismatchException(authority, PinnedIdentity.TlsSpki, PinFingerprints.Spki(oldSpki), PinFingerprints.Spki(newSpki));
        }
        else if (!oldIpsec.Equals(newIpsec))
        {
            mismatch = new PinMismatchException(authority, PinnedIdentity.Ipsec, PinFingerprints.Ipsec(oldIpsec), PinFingerprints.Ipsec(newIpsec));
        }

        if (mismatch is not null)
        {
            _metrics.PinWrite("mismatch");
            StoreLog.PinMismatch(_logger, authority, mismatch.Identity.ToString(), mismatch.OldValue, mismatch.NewValue);
            throw mismatch;
        }
    }

    private void Write(string sql, string authority, byte[] blob, long nowMs, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$authority", authority);
        command.Parameters.AddWithValue("$record", blob);
        command.Parameters.AddWithValue("$now", nowMs);
        command.ExecuteNonQuery();
    }

    private (ServerPin? Pin, string? Problem)? ReadRow(string authority, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT authority, record, pinned_at, updated_at FROM pins WHERE authority = $authority";
        command.Parameters.AddWithValue("$authority", authority);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ParseRow(reader) : null;
    }

    /// <summary>Reloads every row when another connection committed since the last look (or at once when forced).</summary>
    private void RefreshIfDue(bool force)
    {
        var now = _time.GetTimestamp();
        if (!force && now < Volatile.Read(ref _nextRefresh))
        {
            return;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                if (ScalarInt64("PRAGMA data_version") != _dataVersion)
                {
                    Reload();
                }
            }
            catch (SqliteException e) when (IsCorruption(e))
            {
                throw Corrupt(null, "SQLite cannot read it (" + e.Message + ")", e);
            }

            Volatile.Write(ref _nextRefresh, now + _refreshTicks);
        }
    }

    private void Reload()
    {
        var pins = new Dictionary<string, ServerPin>(StringComparer.Ordinal);
        var damaged = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var transaction = _connection.BeginTransaction(deferred: true))
        {
            _dataVersion = ScalarInt64("PRAGMA data_version", transaction);
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT authority, record, pinned_at, updated_at FROM pins ORDER BY authority";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var (pin, problem) = ParseRow(reader);
                if (pin is not null)
                {
                    pins[pin.Authority] = pin;
                }
                else
                {
                    damaged[reader.GetValue(0) as string ?? ""] = problem!;
                }
            }
        }

        _snapshot = new PinSnapshot(pins, damaged);
    }

    private static (ServerPin? Pin, string? Problem) ParseRow(SqliteDataReader reader)
    {
        // Column types are checked, not assumed: a damaged or hand-edited file may hold any type in any column, and
        // that must be a damaged pin, never an InvalidCastException.
        var authority = reader.GetValue(0) as string ?? "";
        if (reader.GetValue(1) is not byte[] blob)
        {
            return (null, "the pin's record is not a blob");
        }

        ChannelBindingRecord? record = null;
        try
        {
            if (reader.GetValue(2) is not long pinnedMs || reader.GetValue(3) is not long updatedMs
                || pinnedMs is < 0 or > MaxUnixMilliseconds || updatedMs is < 0 or > MaxUnixMilliseconds)
            {
                return (null, "the pin's times are not valid");
            }

            record = ChannelBindingRecordSerializer.Deserialize(blob);
            if (record.Role != ChannelRole.Client)
            {
                return (null, "the stored binding is not a client's");
            }

            if (!PinAuthority.TryNormalize(record.ServerAuthority, out var canonical, out _) || !string.Equals(canonical, authority, StringComparison.Ordinal))
            {
                return (null, "the stored binding names another server authority");
            }

            var pin = new ServerPin(record, authority, DateTimeOffset.FromUnixTimeMilliseconds(pinnedMs), DateTimeOffset.FromUnixTimeMilliseconds(updatedMs));
            record = null; // owned by the pin now
            return (pin, null);
        }
        catch (ChannelBindingFormatException e)
        {
            return (null, e.Problem);
        }
        finally
        {
            record?.Dispose();
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(blob);
        }
    }
}
