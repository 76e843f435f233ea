using System.Security.Cryptography;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>
/// Damaged stores, made for real: garbage, truncation, overwritten pages, another application's database, a newer
/// schema, damaged rows. The decision (docs/pin-store.md): a file SQLite cannot read is refused whole with
/// <see cref="PinStoreCorruptException"/> and left byte for byte as it was (no quarantine, no repair: the user decides);
/// a damaged pin in a sound file is refused alone - lookups and writes of that authority fail, never "unknown", and every
/// other pin keeps working.
/// </summary>
public sealed class PinStoreCorruptionTests : IDisposable
{
    private readonly PinStoreDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Garbage_IsRefused_Untouched()
    {
        var garbage = RandomNumberGenerator.GetBytes(8192);
        await WriteOwnerOnlyAsync(_directory.StorePath, garbage);
        var e = Assert.Throws<PinStoreCorruptException>(() => _directory.Open());
        Assert.Null(e.Authority);
        Assert.Equal(IpsecError.BadMessage, e.Error);
        Assert.Contains("Move it aside", e.Recovery, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(_directory.StorePath, Ct));
        Assert.False(File.Exists(_directory.StorePath + "-wal"));
    }

    [Fact]
    public async Task Truncated_IsRefused_Untouched()
    {
        await FillAsync(200);
        var whole = await File.ReadAllBytesAsync(_directory.StorePath, Ct);
        Assert.True(whole.Length >= 4 * 4096, "the store should span several pages");
        var half = whole[..(whole.Length / 2)];
        await WriteOwnerOnlyAsync(_directory.StorePath, half);
        Assert.Throws<PinStoreCorruptException>(() => _directory.Open());
        Assert.Equal(half, await File.ReadAllBytesAsync(_directory.StorePath, Ct));
    }

    [Fact]
    public async Task OverwrittenPage_IsRefused_Untouched()
    {
        await FillAsync(200);
        var bytes = await File.ReadAllBytesAsync(_directory.StorePath, Ct);
        // Page 3 onwards holds the table's b-tree pages; scribble over the middle of one.
        RandomNumberGenerator.Fill(bytes.AsSpan(2 * 4096 + 100, 2000));
        await WriteOwnerOnlyAsync(_directory.StorePath, bytes);
        var e = Assert.Throws<PinStoreCorruptException>(() => _directory.Open());
        Assert.Null(e.Authority);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_directory.StorePath, Ct));
    }

    [Fact]
    public async Task AnotherApplicationsDatabase_IsRefused_Untouched()
    {
        using (var other = OpenRaw(create: true))
        {
            Execute(other, "CREATE TABLE notes (text TEXT)");
        }

        File.SetUnixFileMode(_directory.StorePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var before = await File.ReadAllBytesAsync(_directory.StorePath, Ct);
        var e = Assert.Throws<PinStoreCorruptException>(() => _directory.Open());
        Assert.Contains("not a pin store", e.Problem, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_directory.StorePath, Ct));
    }

    [Fact]
    public async Task NewerSchema_IsRefused()
    {
        await FillAsync(1);
        using (var raw = OpenRaw())
        {
            Execute(raw, "PRAGMA user_version = 2");
        }

        var e = Assert.Throws<PinStoreCorruptException>(() => _directory.Open());
        Assert.Contains("newer cbb", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE pins SET record = randomblob(100) WHERE authority = 'p-3.test:443'")]
    [InlineData("UPDATE pins SET record = substr(record, 1, 40) WHERE authority = 'p-3.test:443'")]
    [InlineData("UPDATE pins SET authority = 'p-3.test:443', record = (SELECT record FROM pins WHERE authority = 'p-4.test:443') WHERE authority = 'p-3.test:443'")]
    [InlineData("UPDATE pins SET pinned_at = -5 WHERE authority = 'p-3.test:443'")]
    public async Task DamagedPin_IsRefusedAlone_OthersKeepWorking(string damage)
    {
        await FillAsync(10);
        using (var raw = OpenRaw())
        {
            Execute(raw, damage);
        }

        using var store = _directory.Open();
        var e = Assert.Throws<PinStoreCorruptException>(() => store.Find("p-3.test:443"));
        Assert.Equal("p-3.test:443", e.Authority);
        Assert.Contains("cbb pins remove p-3.test:443", e.Recovery, StringComparison.Ordinal);
        Assert.Equal(["p-3.test:443"], store.DamagedPins.Keys);
        Assert.Equal(9, (await store.ListAsync(Ct)).Count);
        foreach (var i in new[] { 0, 1, 2, 4, 5, 6, 7, 8, 9 })
        {
            Assert.NotNull(store.Find($"p-{i}.test:443"));
        }

        // A damaged pin is never taken for a first contact, with leap of faith or not.
        using var again = StoreRecords.Client("p-3.test:443");
        await Assert.ThrowsAsync<PinStoreCorruptException>(() => store.PinAsync(again, allowLeapOfFaith: true, Ct).AsTask());
        Assert.Throws<PinStoreCorruptException>(() => store.Verify("p-3.test:443", again.ServerSpkiSha256.Span, again.ServerIpsecIdentity));

        // Removing it (what the message says) makes the authority unknown again.
        Assert.True(await store.RemoveAsync("p-3.test:443", Ct));
        Assert.Empty(store.DamagedPins);
        Assert.Equal(PinWriteOutcome.Pinned, await store.PinAsync(again, allowLeapOfFaith: true, Ct));
    }

    private async Task FillAsync(int count)
    {
        using var store = _directory.Open();
        for (var i = 0; i < count; i++)
        {
            using var record = StoreRecords.Client($"p-{i}.test:443");
            await store.PinAsync(record, allowLeapOfFaith: true, Ct);
        }
    }

    private SqliteConnection OpenRaw(bool create = false)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _directory.StorePath,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task WriteOwnerOnlyAsync(string path, byte[] bytes)
    {
        await File.WriteAllBytesAsync(path, bytes, Ct);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
