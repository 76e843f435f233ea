using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.ChannelBinding.DraftApi;

/// <summary>
/// The draft's <c>ipsec_policy_t *</c>: a mutable slot holding an immutable <see cref="IpsecPolicy"/>.
/// <see cref="IpsecApi.ipsec_set_policy_attr(IpsecPolicyHandle?, uint, uint, byte[])"/> replaces the policy it holds;
/// <see cref="IpsecApi.ipsec_free_policy"/> empties it for good.
/// </summary>
public sealed class IpsecPolicyHandle
{
    private IpsecPolicy? _policy;

    /// <summary>Wraps a policy built with the .NET API so the draft's functions can use it.</summary>
    public IpsecPolicyHandle(IpsecPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <summary>The policy the handle holds now.</summary>
    /// <exception cref="IpsecException">InvalidArgument after the handle was freed.</exception>
    public IpsecPolicy Policy => Volatile.Read(ref _policy)
        ?? throw new IpsecException(IpsecError.InvalidArgument, "The policy handle was freed with ipsec_free_policy.");

    /// <summary>Whether <see cref="IpsecApi.ipsec_free_policy"/> was called on the handle.</summary>
    public bool IsFreed => Volatile.Read(ref _policy) is null;

    /// <inheritdoc/>
    public override string ToString() => Volatile.Read(ref _policy)?.ToString() ?? "IpsecPolicyHandle { freed }";

    /// <summary>The policy, or null once freed.</summary>
    internal IpsecPolicy? Current => Volatile.Read(ref _policy);

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/>; false when the handle changed or was freed meanwhile.</summary>
    internal bool TryReplace(IpsecPolicy current, IpsecPolicy next) =>
        ReferenceEquals(Interlocked.CompareExchange(ref _policy, next, current), current);

    /// <summary>Empties the handle; false when it was already freed.</summary>
    internal bool TryFree() => Interlocked.Exchange(ref _policy, null) is not null;
}
