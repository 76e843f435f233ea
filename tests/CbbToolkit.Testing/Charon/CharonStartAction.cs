namespace CbbToolkit.Testing.Charon;

/// <summary>What a charon does with the child SA once its config is loaded (swanctl.conf start_action).</summary>
public enum CharonStartAction
{
    /// <summary>Nothing: the test initiates.</summary>
    None,

    /// <summary>Installs a trap policy: the kernel's ACQUIRE for the reqid makes charon negotiate.</summary>
    Trap,

    /// <summary>Initiates at once.</summary>
    Start,
}
