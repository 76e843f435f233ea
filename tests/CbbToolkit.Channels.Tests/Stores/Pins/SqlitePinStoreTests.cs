using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>Leap of faith, mismatches and lookups of the SQLite pin store, on real files.</summary>
public sealed class SqlitePinStoreTests : IDisposable
{
    private readonly PinStoreDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(StoreRecords.Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task FirstContact_WithoutLeapOfFaith_StoresNothing()
    {
        using var store = _directory.Open(_time);
        using var record = StoreRecords.Client("a.test:443");
        var e = await Assert.ThrowsAsync<PinNotTrustedException>(() => store.PinAsync(record, allowLeapOfFaith: false, Ct).AsTask());
        Assert.Equal("a.test:443", e.Authority);
        Assert.Equal(IpsecError.BlockedByPolicy, e.Error);
        Assert.Null(store.Find("a.test:443"));
        using var reopened = _directory.Open(_time);
        Assert.Empty(await reopened.ListAsync(Ct));
    }

    [Fact]
    public async Task FirstContact_WithLeapOfFaith_PinsDurably()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        using var record = StoreRecords.Client("A.Test:443", secret: secret);
        using (var store = _directory.Open(_time))
        {
            Assert.Equal(PinWriteOutcome.Pinned, await store.PinAsync(record, allowLeapOfFaith: true, Ct));
        }

        using var reopened = _directory.Open(_time);
        var pin = reopened.Find("a.test:443"); // the authority is canonical: one pin whatever the spelling
        Assert.NotNull(pin);
        Assert.Same(pin, reopened.Find("A.TEST:443"));
        Assert.Equal(record.Id, pin.BindingId);
        Assert.Equal(record.ServerSpkiSha256.ToArray(), pin.ServerSpkiSha256.ToArray());
        Assert.Equal(record.ServerIpsecIdentity, pin.ServerIpsecIdentity);
        Assert.Equal(StoreRecords.Start, pin.PinnedAt);
        using var copy = pin.CreateBindingRecord();
        Assert.Equal(secret, StoreRecords.SecretOf(copy));
    }

    [Fact]
    public async Task SameIdentities_NewBinding_ReplacesTheBinding_KeepsPinnedAt()
    {
        using var store = _directory.Open(_time);
        using var first = StoreRecords.Client("a.test:443");
        using var second = StoreRecords.Client("a.test:443", created: StoreRecords.Start.AddHours(1));
        await store.PinAsync(first, allowLeapOfFaith: true, Ct);
        _time.Advance(TimeSpan.FromHours(1));
        // A known server needs no leap of faith for a new binding.
        Assert.Equal(PinWriteOutcome.BindingReplaced, await store.PinAsync(second, allowLeapOfFaith: false, Ct));
        Assert.Equal(PinWriteOutcome.Unchanged, await store.PinAsync(second, allowLeapOfFaith: false, Ct));
        using var reopened = _directory.Open(_time);
        var pin = reopened.Find("a.test:443")!;
        Assert.Equal(second.Id, pin.BindingId);
        Assert.Equal(StoreRecords.Start, pin.PinnedAt);
        Assert.Equal(StoreRecords.Start.AddHours(1), pin.UpdatedAt);
    }

    [Fact]
    public async Task OtherTlsIdentity_IsRefused_NamingOldAndNew_AndChangesNothing()
    {
        using var store = _directory.Open(_time);
        var oldSpki = SHA256.HashData("old"u8);
        var newSpki = SHA256.HashData("new"u8);
        using var pinned = StoreRecords.Client("a.test:443", spki: oldSpki);
        using var intruder = StoreRecords.Client("a.test:443", spki: newSpki);
        await store.PinAsync(pinned, allowLeapOfFaith: true, Ct);

        var e = await Assert.ThrowsAsync<PinMismatchException>(() => store.PinAsync(intruder, allowLeapOfFaith: true, Ct).AsTask());
        Assert.Equal(PinnedIdentity.TlsSpki, e.Identity);
        Assert.Equal(Convert.ToHexStringLower(oldSpki), e.OldValue);
        Assert.Equal(Convert.ToHexStringLower(newSpki), e.NewValue);
        Assert.Equal(IpsecError.KeyRejected, e.Error);
        Assert.Contains(e.OldValue, e.Message, StringComparison.Ordinal);
        Assert.Contains(e.NewValue, e.Message, StringComparison.Ordinal);

        var verify = Assert.Throws<PinMismatchException>(() => store.Verify("a.test:443", newSpki, StoreRecords.ServerIdentity));
        Assert.Equal(e.NewValue, verify.NewValue);
        using var reopened = _directory.Open(_time);
        Assert.Equal(pinned.Id, reopened.Find("a.test:443")!.BindingId);
    }

    [Fact]
    public async Task OtherIpsecIdentity_IsRefused_NamingOldAndNew()
    {
        using var store = _directory.Open(_time);
        var other = new IpsecIdentity("CN=server.test", IpsecAuthenticationMethod.PkixTrusted, SHA256.HashData("another key"u8));
        using var pinned = StoreRecords.Client("a.test:443");
        using var intruder = StoreRecords.Client("a.test:443", server: other);
        await store.PinAsync(pinned, allowLeapOfFaith: true, Ct);
        var e = await Assert.ThrowsAsync<PinMismatchException>(() => store.PinAsync(intruder, allowLeapOfFaith: true, Ct).AsTask());
        Assert.Equal(PinnedIdentity.Ipsec, e.Identity);
        Assert.Equal(PinFingerprints.Ipsec(StoreRecords.ServerIdentity), e.OldValue);
        Assert.Equal(PinFingerprints.Ipsec(other), e.NewValue);
        Assert.NotEqual(e.OldValue, e.NewValue);

        // An unauthenticated server (NULL authentication) where an authenticated one was pinned: refused too.
        Assert.Throws<PinMismatchException>(() => store.Verify("a.test:443", pinned.ServerSpkiSha256.Span, IpsecIdentity.Unauthenticated));
    }

    [Fact]
    public async Task Verify_SaysUnknownOrMatch()
    {
        using var store = _directory.Open(_time);
        using var record = StoreRecords.Client("[2001:DB8:0::1]:8443");
        Assert.Equal(PinVerification.Unknown, store.Verify("[2001:db8::1]:8443", record.ServerSpkiSha256.Span, record.ServerIpsecIdentity));
        await store.PinAsync(record, allowLeapOfFaith: true, Ct);
        Assert.Equal(PinVerification.Match, store.Verify("[2001:db8::1]:8443", record.ServerSpkiSha256.Span, record.ServerIpsecIdentity));
    }

    [Fact]
    public async Task TwoStores_OnOneFile_SeeEachOthersWrites()
    {
        using var a = _directory.Open(_time);
        using var b = _directory.Open(_time);
        using var record = StoreRecords.Client("a.test:443");
        Assert.Null(b.Find("a.test:443"));
        await a.PinAsync(record, allowLeapOfFaith: true, Ct);
        Assert.Equal(record.Id, b.Find("a.test:443")!.BindingId);

        // b judges against the file, not its memory: the same first contact with another key is a mismatch there too.
        using var intruder = StoreRecords.Client("a.test:443", spki: SHA256.HashData("other"u8));
        await Assert.ThrowsAsync<PinMismatchException>(() => b.PinAsync(intruder, allowLeapOfFaith: true, Ct).AsTask());
        Assert.True(await b.RemoveAsync("a.test:443", Ct));
        Assert.Null(a.Find("a.test:443"));
        Assert.False(await a.RemoveAsync("a.test:443", Ct));
    }

    [Fact]
    public async Task RefreshInterval_BoundsHowLongAnotherProcessesWriteStaysUnseen()
    {
        using var reader = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = _directory.StorePath, RefreshInterval = TimeSpan.FromSeconds(5) }), _time);
        using var writer = _directory.Open(_time);
        Assert.Null(reader.Find("a.test:443"));
        using var record = StoreRecords.Client("a.test:443");
        await writer.PinAsync(record, allowLeapOfFaith: true, Ct);
        Assert.Null(reader.Find("a.test:443")); // served from memory until the interval passed
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(reader.Find("a.test:443"));
    }

    [Fact]
    public async Task ServerRecords_AndBadAuthorities_AreArgumentErrors()
    {
        using var store = _directory.Open(_time);
        using var server = StoreRecords.Server();
        await Assert.ThrowsAsync<ArgumentException>(() => store.PinAsync(server, allowLeapOfFaith: true, Ct).AsTask());
        foreach (var bad in new[] { "", "a.test", "a.test:0", "a.test:65536", "a.test:0443", "a b:443", "[fe80::1%eth0]:443", "::1:443" })
        {
            Assert.Throws<ArgumentException>(() => store.Find(bad));
        }
    }

    [Fact]
    public async Task Secrets_NeverShowInToStringOrErrors()
    {
        var secret = Enumerable.Repeat((byte)0xAB, 32).ToArray();
        using var store = _directory.Open(_time);
        using var record = StoreRecords.Client("a.test:443", secret: secret);
        await store.PinAsync(record, allowLeapOfFaith: true, Ct);
        var pin = store.Find("a.test:443")!;
        using var intruder = StoreRecords.Client("a.test:443", spki: SHA256.HashData("x"u8), secret: secret);
        var e = await Assert.ThrowsAsync<PinMismatchException>(() => store.PinAsync(intruder, allowLeapOfFaith: true, Ct).AsTask());
        foreach (var text in new[] { pin.ToString(), e.Message, e.ToString() })
        {
            Assert.DoesNotContain("abababab", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(secret), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RemovedAndReplacedSecrets_AreOverwrittenInTheFile()
    {
        var removed = RandomNumberGenerator.GetBytes(32);
        var replaced = RandomNumberGenerator.GetBytes(32);
        using (var store = _directory.Open(_time))
        using (var a = StoreRecords.Client("a.test:443", secret: removed))
        using (var b = StoreRecords.Client("b.test:443", secret: replaced))
        using (var b2 = StoreRecords.Client("b.test:443"))
        {
            await store.PinAsync(a, allowLeapOfFaith: true, Ct);
            await store.PinAsync(b, allowLeapOfFaith: true, Ct);
            await store.PinAsync(b2, allowLeapOfFaith: true, Ct);
            await store.RemoveAsync("a.test:443", Ct);
        }

        // Closing the last connection checkpoints the WAL into the file and deletes it: what is left is the file alone.
        Assert.False(File.Exists(_directory.StorePath + "-wal"));
        var bytes = await File.ReadAllBytesAsync(_directory.StorePath, Ct);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(removed));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(replaced));
    }

    [Fact]
    public void Options_AreValidated()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new SqlitePinStore(Options.Create(new PinStoreOptions
        {
            Path = _directory.Directory + "/",
            BusyTimeout = TimeSpan.FromSeconds(-1),
            RefreshInterval = TimeSpan.FromHours(1),
        })));
        Assert.Equal(3, e.Failures.Count());
    }
}
