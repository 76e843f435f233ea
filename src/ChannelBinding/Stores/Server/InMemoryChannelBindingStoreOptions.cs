namespace CbbToolkit.Channels.Stores;

/// <summary>Options of <see cref="InMemoryChannelBindingStore"/> (validated by <see cref="InMemoryChannelBindingStoreOptionsValidator"/>).</summary>
public sealed class InMemoryChannelBindingStoreOptions
{
    /// <summary>The most bindings (and revocations) kept at once; a create beyond it fails after a sweep. Default 100,000.</summary>
    public int MaxBindings { get; set; } = 100_000;

    /// <summary>The longest lifetime a stored binding may have; also how long the revocation of an unknown id is kept.
    /// Default 30 days.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(30);
}
