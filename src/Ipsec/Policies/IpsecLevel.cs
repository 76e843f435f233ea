namespace CbbToolkit.Ipsec.Policies;

/// <summary>How strictly the policy's IPsec templates apply (the kernel's template "level").</summary>
public enum IpsecLevel : uint
{
    /// <summary>Traffic must be protected; without an SA it is held back (connect fails with EAGAIN until key management answers).</summary>
    Require = 0,
    /// <summary>Protect when an SA exists, send in the clear otherwise (the kernel's optional template).</summary>
    Use = 1,
}
