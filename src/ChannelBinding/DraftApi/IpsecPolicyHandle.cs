using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// The draft's <c>ipsec_policy_t *</c>: a mutable slot holding an immutable <see cref="IpsecPolicy"/>.
/// <see cref="IpsecApi.ipsec_set_policy_attr(IpsecPolicyHandle?, uint, uint, byte[])"/> replaces the policy it holds;
/// <see cref="IpsecApi.ipsec_free_policy"/> empties it for good.
/// </summary>
public sealed class IpsecPolicyHandle : DraftHandle<IpsecPolicy>
{
    /// <summary>Wraps a policy built with the .NET API so the draft's functions can use it.</summary>
    public IpsecPolicyHandle(IpsecPolicy policy)
        : base(policy)
    {
    }

    /// <summary>The policy the handle holds now.</summary>
    /// <exception cref="Ipsec.IpsecException">InvalidArgument after the handle was freed.</exception>
    public IpsecPolicy Policy => ValueOrThrow("policy", "ipsec_free_policy");
}
