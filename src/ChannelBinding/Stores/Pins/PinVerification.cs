namespace CbbToolkit.Channels.Stores;

/// <summary>What <see cref="IPinStore.Verify"/> found for a presented server identity (a mismatch is an exception).</summary>
public enum PinVerification
{
    /// <summary>No pin: first contact; only leap of faith (or another trust anchor) may accept the server.</summary>
    Unknown = 0,

    /// <summary>The presented identities equal the pinned ones.</summary>
    Match = 1,
}
