namespace CbbToolkit.Ipsec.Policies;

/// <summary>
/// The tri-state of the abstract API's privacyProtected and integrityProtected attributes
/// (draft-ietf-btns-abstract-api-01 section 4.1).
/// </summary>
public enum ProtectionRequirement : uint
{
    /// <summary>Whatever the system policy gives.</summary>
    Any = 0,
    /// <summary>The protection is required.</summary>
    Enable = 1,
    /// <summary>The protection is not wanted (asking for less than the system policy needs privilege).</summary>
    Disable = 2,
}
