using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CbbToolkit.Channels.Stores;

public sealed partial class SqlitePinStore
{
    // "CBBP" in the SQLite header's application id: a file that is some other database is never taken for a pin store.
    internal const long ApplicationId = 0x43424250;
    internal const long SchemaVersion = 1;

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private static SqliteConnection OpenConnection(string path, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite, // PinStoreFiles made the file with its mode; SQLite must not create it
            Pooling = false, // Dispose really closes the file (tests and the CLI reopen it)
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}"));
        return connection;
    }

    private void Initialize()
    {
        // Read the header before changing anything: a file that is not ours is refused untouched.
        var (applicationId, tables) = ReadHeader(null);
        ThrowIfNotOurs(applicationId, tables);

        {
            // WAL: readers never block the writer and a commit is one append; FULL: each commit fsyncs the WAL, so an
            // acknowledged pin survives a crash of the process (kill -9) and of the machine.
            var mode = ScalarText("PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw Corrupt(null, $"SQLite refused WAL mode (journal_mode is {mode})");
            }
        }

        Execute(_connection, "PRAGMA synchronous = FULL");
        Execute(_connection, "PRAGMA secure_delete = ON"); // a removed or replaced pin's secret is overwritten, not left in free space
        if (applicationId == 0)
        {
            CreateSchema();
        }

        var version = ScalarInt64("PRAGMA user_version");
        if (version != SchemaVersion)
        {
            throw Corrupt(null, version > SchemaVersion
                ? $"schema version {version} was written by a newer cbb (this one reads {SchemaVersion})"
                : $"schema version {version} is unknown");
        }

        var check = ScalarText("PRAGMA quick_check");
        if (!string.Equals(check, "ok", StringComparison.Ordinal))
        {
            throw Corrupt(null, $"SQLite's quick_check failed: {check}");
        }
    }

    // The application id and the number of schema objects, read in one transaction: another process creating the store
    // commits both at once, so a reader sees a new empty file or a pin store, never a table without the id.
    private (long ApplicationId, long Tables) ReadHeader(SqliteTransaction? writeTransaction)
    {
        var transaction = writeTransaction ?? _connection.BeginTransaction(deferred: true);
        try
        {
            return (ScalarInt64("PRAGMA application_id", transaction), ScalarInt64("SELECT count(*) FROM sqlite_schema", transaction));
        }
        finally
        {
            if (writeTransaction is null)
            {
                transaction.Dispose();
            }
        }
    }

    private void ThrowIfNotOurs(long applicationId, long tables)
    {
        if (applicationId != ApplicationId && applicationId != 0)
        {
            throw Corrupt(null, "the file is a SQLite database of another application (application_id differs)");
        }

        if (applicationId == 0 && tables != 0)
        {
            throw Corrupt(null, "the file is a SQLite database that is not a pin store");
        }
    }

    private void CreateSchema()
    {
        using var transaction = _connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one creator at a time
        var (applicationId, tables) = ReadHeader(transaction); // again, under the write lock: another process may have been first
        ThrowIfNotOurs(applicationId, tables);
        if (applicationId == 0)
        {
            Execute(_connection, """
                CREATE TABLE pins (
                    authority  TEXT    NOT NULL PRIMARY KEY,
                    record     BLOB    NOT NULL,
                    pinned_at  INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID
                """, transaction);
            Execute(_connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}"), transaction);
            Execute(_connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion}"), transaction);
        }

        transaction.Commit();
    }

    private static bool IsCorruption(SqliteException e) => e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase;

    private PinStoreCorruptException Corrupt(string? authority, string problem, Exception? inner = null) => new(Path, authority, problem, inner);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private long ScalarInt64(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private string? ScalarText(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
