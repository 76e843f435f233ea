using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>
/// The pin store's file modes, checked on real files: created owner-only, and a store others could write (or read, for
/// the file with the secrets) is refused with a typed error before SQLite touches it. The tests run as root, whom the
/// kernel would let through anyway: the checks are the store's own, on the mode bits, so they hold for root too.
/// </summary>
public sealed class PinStorePermissionTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    private readonly PinStoreDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task NewStore_IsOwnerOnly_FileDirectoryWalAndShm()
    {
        var nested = Path.Combine(_directory.Directory, "config", "cbb", "pins.db");
        using var store = PinStoreDirectory.OpenAt(nested);
        using var record = StoreRecords.Client("a.test:443");
        await store.PinAsync(record, allowLeapOfFaith: true, Ct);

        Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.GetDirectoryName(nested)!));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(nested));
        // While the store is open SQLite keeps its WAL and shared-memory index; they carry the secrets too.
        Assert.True(File.Exists(nested + "-wal"));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(nested + "-wal"));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(nested + "-shm"));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherWrite)]
    public void WritableDirectory_IsRefused(UnixFileMode extra)
    {
        File.SetUnixFileMode(_directory.Directory, OwnerAll | extra | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        var e = Assert.Throws<PinStorePermissionException>(() => _directory.Open());
        Assert.Equal(_directory.Directory, e.Path);
        Assert.Equal(IpsecError.PermissionDenied, e.Error);
        Assert.Contains("chmod 700", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.StorePath)); // refused before anything was created
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherWrite)]
    [InlineData(UnixFileMode.GroupRead)] // the file holds binding secrets: readable by the owner only
    [InlineData(UnixFileMode.OtherRead)]
    public async Task FileOpenToOthers_IsRefused_AndLeftAsItIs(UnixFileMode extra)
    {
        using (var store = _directory.Open())
        using (var record = StoreRecords.Client("a.test:443"))
        {
            await store.PinAsync(record, allowLeapOfFaith: true, Ct);
        }

        File.SetUnixFileMode(_directory.StorePath, OwnerReadWrite | extra);
        var before = await File.ReadAllBytesAsync(_directory.StorePath, Ct);
        var e = Assert.Throws<PinStorePermissionException>(() => _directory.Open());
        Assert.Equal(_directory.StorePath, e.Path);
        Assert.Equal(OwnerReadWrite | extra, e.Mode);
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_directory.StorePath, Ct));
        Assert.Throws<PinStorePermissionException>(() => SqlitePinStore.OpenExisting(Options.Create(new PinStoreOptions { Path = _directory.StorePath })));

        File.SetUnixFileMode(_directory.StorePath, OwnerReadWrite); // fixed as the message says: the pins are all there
        using var fixedStore = _directory.Open();
        Assert.NotNull(fixedStore.Find("a.test:443"));
    }

    [Fact]
    public async Task WalOpenToOthers_IsRefused()
    {
        using var store = _directory.Open();
        using var record = StoreRecords.Client("a.test:443");
        await store.PinAsync(record, allowLeapOfFaith: true, Ct);
        File.SetUnixFileMode(_directory.StorePath + "-wal", OwnerReadWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<PinStorePermissionException>(() => _directory.Open());
        Assert.Equal(_directory.StorePath + "-wal", e.Path);
    }

    [Fact]
    public async Task SymbolicLink_IsRefused()
    {
        using (var store = _directory.Open())
        using (var record = StoreRecords.Client("a.test:443"))
        {
            await store.PinAsync(record, allowLeapOfFaith: true, Ct);
        }

        var link = Path.Combine(_directory.Directory, "link.db");
        File.CreateSymbolicLink(link, _directory.StorePath);
        var e = Assert.Throws<PinStorePermissionException>(() => PinStoreDirectory.OpenAt(link));
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenExisting_CreatesNothing()
    {
        var missing = Path.Combine(_directory.Directory, "none", "pins.db");
        Assert.Null(SqlitePinStore.OpenExisting(Options.Create(new PinStoreOptions { Path = missing })));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }
}
