namespace CbbToolkit.Channels.Stores;

/// <summary>Options of <see cref="DistributedChannelBindingStore"/> (validated by <see cref="DistributedChannelBindingStoreOptionsValidator"/>).</summary>
public sealed class DistributedChannelBindingStoreOptions
{
    /// <summary>The prefix of every cache key the store writes (bindings under PREFIX + "b:" + id, revocations under
    /// PREFIX + "r:" + id). Every member of a farm must use the same. Default "cbb:".</summary>
    public string KeyPrefix { get; set; } = "cbb:";

    /// <summary>The longest lifetime a stored binding may have; also how long the revocation of an id whose binding is
    /// not (or no longer) in the cache is kept. Default 30 days.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(30);
}
