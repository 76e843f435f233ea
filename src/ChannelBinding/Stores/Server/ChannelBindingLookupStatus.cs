namespace CbbToolkit.Channels.Stores;

/// <summary>What a binding store answered for an id.</summary>
public enum ChannelBindingLookupStatus
{
    /// <summary>No binding has this id (never made, swept, or evicted).</summary>
    NotFound = 0,

    /// <summary>The binding exists and is live.</summary>
    Found = 1,

    /// <summary>The binding existed and has expired.</summary>
    Expired = 2,

    /// <summary>The binding was revoked.</summary>
    Revoked = 3,
}
