namespace CbbToolkit.Channels.Stores;

/// <summary>What <see cref="IPinStore.PinAsync"/> did (refusals are exceptions).</summary>
public enum PinWriteOutcome
{
    /// <summary>First contact: the server was unknown and is now pinned (leap of faith).</summary>
    Pinned = 1,

    /// <summary>The server was pinned with the same identities; its binding was replaced by the new one.</summary>
    BindingReplaced = 2,

    /// <summary>The same binding was already stored; nothing changed.</summary>
    Unchanged = 3,
}
