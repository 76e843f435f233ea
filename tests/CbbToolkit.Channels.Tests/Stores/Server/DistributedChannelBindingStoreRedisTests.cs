using System.Text;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Server;

/// <summary>
/// <see cref="DistributedChannelBindingStore"/> over a real redis-server (started by <see cref="RedisServer"/>) through
/// Microsoft.Extensions.Caching.StackExchangeRedis: two store instances, each with its own connection and its own Data
/// Protection provider over one key ring, are two servers of a farm.
/// </summary>
public sealed class DistributedChannelBindingStoreRedisTests : IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisServer _redis;
    private readonly string _keys = Directory.CreateTempSubdirectory("cbb-dp-keys-").FullName;
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<IDisposable> _owned = [];

    public DistributedChannelBindingStoreRedisTests(RedisServer redis) => _redis = redis;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _owned.ForEach(d => d.Dispose());
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task TwoServers_ShareBindings()
    {
        var (a, b) = (Server(), Server());
        using var record = Record();
        await a.CreateAsync(record, Ct);
        var lookup = await b.FindAsync(record.Id, Ct);
        Assert.Equal(ChannelBindingLookupStatus.Found, lookup.Status);
        using var found = lookup.Record!;
        ChannelBindingRecordSerializerTests.AssertSame(record, found);
        Assert.Equal(StoreRecords.SecretOf(record), StoreRecords.SecretOf(found));

        // An id is one binding farm-wide: the other server cannot create it again.
        var e = await Assert.ThrowsAsync<ChannelBindingStoreException>(() => b.CreateAsync(record, Ct).AsTask());
        Assert.Equal(IpsecError.AlreadyExists, e.Error);
    }

    [Fact]
    public async Task Revocation_OnOneServer_IsSeenByTheOther()
    {
        var (a, b) = (Server(), Server());
        using var record = Record(TimeSpan.FromMinutes(30));
        await a.CreateAsync(record, Ct);
        Assert.True(await b.RevokeAsync(record.Id, Ct));
        Assert.Equal(ChannelBindingLookupStatus.Revoked, (await a.FindAsync(record.Id, Ct)).Status);
        Assert.Equal(ChannelBindingLookupStatus.Revoked, (await b.FindAsync(record.Id, Ct)).Status);
        await Assert.ThrowsAsync<ChannelBindingStoreException>(() => a.CreateAsync(record, Ct).AsTask());

        // In redis: the entry is gone, the marker stays as long as the binding would have lived.
        Assert.False(await _redis.Raw.KeyExistsAsync(BindingKey(record.Id)));
        var ttl = await _redis.Raw.KeyTimeToLiveAsync(RevokedKey(record.Id));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task RevokingAnUnknownId_RefusesItForTheMaximumLifetime()
    {
        var a = Server(maxLifetime: TimeSpan.FromHours(2));
        var id = BindingId.NewId();
        Assert.False(await a.RevokeAsync(id, Ct));
        Assert.Equal(ChannelBindingLookupStatus.Revoked, (await Server().FindAsync(id, Ct)).Status);
        var ttl = await _redis.Raw.KeyTimeToLiveAsync(RevokedKey(id));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task SecretAtRest_IsProtected_RawValueHoldsNoSecretNorPrincipal()
    {
        var a = Server();
        using var record = Record();
        await a.CreateAsync(record, Ct);
        var raw = (byte[]?)await _redis.Raw.HashGetAsync(BindingKey(record.Id), "data");
        Assert.NotNull(raw);
        Assert.True(raw.Length > 64, "the entry should be there");
        var secret = StoreRecords.SecretOf(record);
        Assert.Equal(-1, raw.AsSpan().IndexOf(secret));
        Assert.Equal(-1, raw.AsSpan().IndexOf(secret.AsSpan(0, 8))); // not even a piece of it
        Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes("alice")));
        Assert.Equal(-1, raw.AsSpan().IndexOf("CBBR"u8)); // the plain entry's magic: nothing stored in clear
    }

    [Fact]
    public async Task AnotherKeyRing_CannotReadTheEntry_TypedError()
    {
        var a = Server();
        using var record = Record();
        await a.CreateAsync(record, Ct);
        var otherKeys = Directory.CreateTempSubdirectory("cbb-dp-other-").FullName;
        try
        {
            var otherFarm = Server(FarmDataProtection.Create(otherKeys));
            var e = await Assert.ThrowsAsync<ChannelBindingFormatException>(() => otherFarm.FindAsync(record.Id, Ct).AsTask());
            Assert.Equal(IpsecError.BadMessage, e.Error);
            Assert.Contains("Data Protection", e.Message, StringComparison.Ordinal);

            // Same keys, another application name: isolated too.
            var otherApp = Server(FarmDataProtection.Create(_keys, "another-app"));
            await Assert.ThrowsAsync<ChannelBindingFormatException>(() => otherApp.FindAsync(record.Id, Ct).AsTask());
            Assert.Equal(ChannelBindingLookupStatus.Found, (await Server().FindAsync(record.Id, Ct)).Status);
        }
        finally
        {
            Directory.Delete(otherKeys, recursive: true);
        }
    }

    [Fact]
    public async Task EntryCopiedUnderAnotherId_IsRefused()
    {
        var a = Server();
        using var record = Record();
        await a.CreateAsync(record, Ct);
        var target = BindingId.NewId();
        var fields = await _redis.Raw.HashGetAllAsync(BindingKey(record.Id));
        await _redis.Raw.HashSetAsync(BindingKey(target), fields);
        await _redis.Raw.KeyExpireAsync(BindingKey(target), TimeSpan.FromMinutes(5));
        // The entry is protected under its own id's purpose: a planted copy does not authenticate as another binding.
        await Assert.ThrowsAsync<ChannelBindingFormatException>(() => Server().FindAsync(target, Ct).AsTask());
    }

    [Fact]
    public async Task TamperedEntry_IsRefused()
    {
        var a = Server();
        using var record = Record();
        await a.CreateAsync(record, Ct);
        var raw = (byte[])(await _redis.Raw.HashGetAsync(BindingKey(record.Id), "data"))!;
        raw[^5] ^= 0x01;
        await _redis.Raw.HashSetAsync(BindingKey(record.Id), "data", raw);
        await Assert.ThrowsAsync<ChannelBindingFormatException>(() => a.FindAsync(record.Id, Ct).AsTask());
    }

    [Fact]
    public async Task Expiry_RedisTtlIsTheLifetime_AndTheStoreChecksItsOwnClock()
    {
        var (a, b) = (Server(), Server());
        using var record = Record(TimeSpan.FromMinutes(10));
        await a.CreateAsync(record, Ct);
        var ttl = await _redis.Raw.KeyTimeToLiveAsync(BindingKey(record.Id));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9.5), TimeSpan.FromMinutes(10));

        // Past its expiry by the store's clock the binding is refused, even where the cache still holds it.
        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        (await b.FindAsync(record.Id, Ct)).Record!.Dispose();
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(await _redis.Raw.KeyExistsAsync(BindingKey(record.Id)));
        Assert.Equal(ChannelBindingLookupStatus.Expired, (await b.FindAsync(record.Id, Ct)).Status);
        Assert.Equal(0, await b.SweepExpiredAsync(Ct)); // the cache expires entries itself
    }

    [Fact]
    public async Task Expiry_RedisDropsTheEntry_WhenItsLifetimeIsOver()
    {
        var a = Server();
        using var record = Record(TimeSpan.FromSeconds(2));
        await a.CreateAsync(record, Ct);
        Assert.Equal(ChannelBindingLookupStatus.Found, (await a.FindAsync(record.Id, Ct)).Status);
        // Real time here: redis expires keys by its own clock. Poll, bounded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await _redis.Raw.KeyExistsAsync(BindingKey(record.Id)))
        {
            Assert.True(DateTime.UtcNow < deadline, "redis kept the entry 15 s past a 2 s lifetime");
            await Task.Delay(100, Ct);
        }

        Assert.Equal(ChannelBindingLookupStatus.NotFound, (await a.FindAsync(record.Id, Ct)).Status);
    }

    private DistributedChannelBindingStore Server(IDataProtectionProvider? dataProtection = null, TimeSpan? maxLifetime = null)
    {
        var cache = _redis.CreateCache("farm:");
        _owned.Add(cache);
        return new DistributedChannelBindingStore(cache, dataProtection ?? FarmDataProtection.Create(_keys),
            Options.Create(new DistributedChannelBindingStoreOptions { KeyPrefix = _prefix, MaxLifetime = maxLifetime ?? TimeSpan.FromDays(1) }), _time);
    }

    private ChannelBindingRecord Record(TimeSpan? lifetime = null) => StoreRecords.Server(created: _time.GetUtcNow(), lifetime: lifetime);

    private string BindingKey(BindingId id) => $"farm:{_prefix}b:{id}";

    private string RevokedKey(BindingId id) => $"farm:{_prefix}r:{id}";
}
