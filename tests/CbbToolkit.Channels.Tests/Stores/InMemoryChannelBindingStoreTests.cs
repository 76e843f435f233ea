using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores;

public sealed class InMemoryChannelBindingStoreTests
{
    private readonly FakeTimeProvider _time = new(StoreRecords.Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ThenFind_ReturnsAnIndependentCopy()
    {
        using var store = new InMemoryChannelBindingStore(timeProvider: _time);
        using var record = StoreRecords.Server();
        await store.CreateAsync(record, Ct);
        var lookup = await store.FindAsync(record.Id, Ct);
        Assert.Equal(ChannelBindingLookupStatus.Found, lookup.Status);
        using (var found = lookup.Record!)
        {
            ChannelBindingRecordSerializerTests.AssertSame(record, found);
        }

        // The caller disposing its copy (and its own record) leaves the stored one intact.
        record.Dispose();
        using var again = (await store.FindAsync(record.Id, Ct)).Record!;
        Assert.False(again.Secret.IsDisposed);
    }

    [Fact]
    public async Task Expiry_FollowsTheTimeProvider_Inclusive()
    {
        using var store = new InMemoryChannelBindingStore(timeProvider: _time);
        using var record = StoreRecords.Server(lifetime: TimeSpan.FromMinutes(10));
        await store.CreateAsync(record, Ct);
        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        (await store.FindAsync(record.Id, Ct)).Record!.Dispose();
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(ChannelBindingLookupStatus.Expired, (await store.FindAsync(record.Id, Ct)).Status);
        Assert.Equal(ChannelBindingLookupStatus.NotFound, (await store.FindAsync(record.Id, Ct)).Status);
    }

    [Fact]
    public async Task Revoked_StaysRefused_AndCannotBeRecreated()
    {
        using var store = new InMemoryChannelBindingStore(timeProvider: _time);
        using var record = StoreRecords.Server();
        await store.CreateAsync(record, Ct);
        Assert.True(await store.RevokeAsync(record.Id, Ct));
        Assert.Equal(ChannelBindingLookupStatus.Revoked, (await store.FindAsync(record.Id, Ct)).Status);
        var e = await Assert.ThrowsAsync<ChannelBindingStoreException>(() => store.CreateAsync(record, Ct).AsTask());
        Assert.Equal(IpsecError.AlreadyExists, e.Error);
        Assert.Equal(0, await store.SweepExpiredAsync(Ct)); // the revocation outlives nothing yet
        Assert.Equal(ChannelBindingLookupStatus.Revoked, (await store.FindAsync(record.Id, Ct)).Status);
    }

    [Fact]
    public async Task RevokeOfUnknownId_IsKeptForTheMaximumLifetime()
    {
        using var store = new InMemoryChannelBindingStore(Options.Create(new InMemoryChannelBindingStoreOptions { MaxLifetime = TimeSpan.FromHours(2) }), _time);
        var id = BindingId.NewId();
        Assert.False(await store.RevokeAsync(id, Ct));
        _time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await store.SweepExpiredAsync(Ct));
        Assert.Equal(ChannelBindingLookupStatus.Revoked, (await store.FindAsync(id, Ct)).Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await store.SweepExpiredAsync(Ct));
        Assert.Equal(ChannelBindingLookupStatus.NotFound, (await store.FindAsync(id, Ct)).Status);
    }

    [Fact]
    public async Task Sweep_RemovesExpiredBindings_AndZeroesTheirSecrets()
    {
        using var store = new InMemoryChannelBindingStore(timeProvider: _time);
        using var shortLived = StoreRecords.Server(lifetime: TimeSpan.FromMinutes(1));
        using var longLived = StoreRecords.Server(lifetime: TimeSpan.FromHours(1));
        await store.CreateAsync(shortLived, Ct);
        await store.CreateAsync(longLived, Ct);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await store.SweepExpiredAsync(Ct));
        Assert.Equal(1, store.Count);
        Assert.Equal(ChannelBindingLookupStatus.NotFound, (await store.FindAsync(shortLived.Id, Ct)).Status);
        (await store.FindAsync(longLived.Id, Ct)).Record!.Dispose();
    }

    [Fact]
    public async Task Full_SweepsFirst_ThenRefusesWithNoBufferSpace()
    {
        using var store = new InMemoryChannelBindingStore(Options.Create(new InMemoryChannelBindingStoreOptions { MaxBindings = 2 }), _time);
        using var a = StoreRecords.Server(lifetime: TimeSpan.FromMinutes(1));
        using var b = StoreRecords.Server();
        using var c = StoreRecords.Server(created: StoreRecords.Start.AddMinutes(2));
        using var d = StoreRecords.Server(created: StoreRecords.Start.AddMinutes(2));
        await store.CreateAsync(a, Ct);
        await store.CreateAsync(b, Ct);
        _time.Advance(TimeSpan.FromMinutes(2));
        await store.CreateAsync(c, Ct); // a expired: swept to make room
        var e = await Assert.ThrowsAsync<ChannelBindingStoreException>(() => store.CreateAsync(d, Ct).AsTask());
        Assert.Equal(IpsecError.NoBufferSpace, e.Error);
    }

    [Fact]
    public async Task Create_RefusesClientRecords_ExpiredOnes_AndOverlongLifetimes()
    {
        using var store = new InMemoryChannelBindingStore(Options.Create(new InMemoryChannelBindingStoreOptions { MaxLifetime = TimeSpan.FromMinutes(30) }), _time);
        using var client = StoreRecords.Client("a.test:443");
        using var tooLong = StoreRecords.Server(lifetime: TimeSpan.FromMinutes(31));
        using var expired = StoreRecords.Server(created: StoreRecords.Start.AddHours(-2));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(client, Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(tooLong, Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(expired, Ct).AsTask());
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Dispose_ZeroesStoredSecrets()
    {
        var store = new InMemoryChannelBindingStore(timeProvider: _time);
        using var record = StoreRecords.Server();
        await store.CreateAsync(record, Ct);
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.FindAsync(record.Id, Ct).AsTask());
    }

    [Fact]
    public void Options_AreValidated()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            new InMemoryChannelBindingStore(Options.Create(new InMemoryChannelBindingStoreOptions { MaxBindings = 0, MaxLifetime = TimeSpan.Zero })));
        Assert.Equal(2, e.Failures.Count());
    }
}
