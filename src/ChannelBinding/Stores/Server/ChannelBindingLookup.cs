using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The answer of <see cref="IChannelBindingStore.FindAsync"/>: the status and, when <see cref="ChannelBindingLookupStatus.Found"/>,
/// a copy of the record that the caller owns (dispose it to zero its secret).
/// </summary>
public readonly struct ChannelBindingLookup
{
    private ChannelBindingLookup(ChannelBindingLookupStatus status, ChannelBindingRecord? record)
    {
        Status = status;
        Record = record;
    }

    /// <summary>What the store answered.</summary>
    public ChannelBindingLookupStatus Status { get; }

    /// <summary>The live binding when <see cref="Status"/> is <see cref="ChannelBindingLookupStatus.Found"/>; otherwise null.</summary>
    public ChannelBindingRecord? Record { get; }

    /// <summary>A live binding.</summary>
    public static ChannelBindingLookup Found(ChannelBindingRecord record) =>
        new(ChannelBindingLookupStatus.Found, record ?? throw new ArgumentNullException(nameof(record)));

    /// <summary>No binding.</summary>
    public static ChannelBindingLookup NotFound { get; } = new(ChannelBindingLookupStatus.NotFound, null);

    /// <summary>An expired binding.</summary>
    public static ChannelBindingLookup Expired { get; } = new(ChannelBindingLookupStatus.Expired, null);

    /// <summary>A revoked binding.</summary>
    public static ChannelBindingLookup Revoked { get; } = new(ChannelBindingLookupStatus.Revoked, null);

    /// <summary>The status (a record's secret never shows).</summary>
    public override string ToString() => Record is null ? Status.ToString() : $"{Status}: {Record}";
}
