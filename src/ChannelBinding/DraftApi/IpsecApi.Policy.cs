using System.Diagnostics.CodeAnalysis;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.DraftApi;

// Draft sections 2.1.1 (creation), 2.1.2 (attributes) and 2.1.5 (compare, duplicate).
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The draft's functions return error values; nothing may escape.")]
public static partial class IpsecApi
{
    /// <summary>
    /// <c>ipsec_create_policy</c>: a new policy of the given type (Table 1: only <see cref="IPSEC_DEFAULT_POLICY"/>).
    /// </summary>
    /// <returns>The policy, or null for a type that is not defined (or when out of memory).</returns>
    public static IpsecPolicyHandle? ipsec_create_policy(uint type)
    {
        try
        {
            return Enum.IsDefined((IpsecPolicyType)type) ? new IpsecPolicyHandle(new IpsecPolicy { Type = (IpsecPolicyType)type }) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary><c>ipsec_free_policy</c>: frees the handle; using it afterwards is EINVAL.</summary>
    /// <returns>0; EINVAL for null or an already freed handle.</returns>
    public static int ipsec_free_policy(IpsecPolicyHandle? policy) => policy?.TryFree() == true ? Ok : Einval;

    /// <summary>
    /// <c>ipsec_get_policy_attr</c>: a new copy of the attribute's value (4 octets in host byte order, or UTF-8 for
    /// <see cref="IPSEC_POLICY_NAME"/>) and its length.
    /// </summary>
    /// <returns>0; EINVAL for a null or freed handle or an undefined type; ENOENT for an unset policy name; ENOMEM.
    /// On failure <paramref name="attr_len"/> is 0 and <paramref name="attr_val"/> null.</returns>
    public static int ipsec_get_policy_attr(IpsecPolicyHandle? policy, uint attr_type, out uint attr_len, out byte[]? attr_val)
    {
        attr_len = 0;
        attr_val = null;
        if (policy?.Current is not { } current)
        {
            return Einval;
        }

        try
        {
            attr_val = attr_type == IPSEC_CHANNEL_BINDING_TYPES
                ? BitConverter.GetBytes(TlsChannelBindings.ToDraftValue(current.ChannelBindings))
                : current.GetAttribute((IpsecPolicyAttributeType)attr_type);
            attr_len = (uint)attr_val.Length;
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// <c>ipsec_set_policy_attr</c>: sets one attribute. <paramref name="attr_len"/> must equal the length of
    /// <paramref name="attr_val"/> and be the attribute's length; the value must be one the attribute defines.
    /// </summary>
    /// <returns>0; EINVAL for a null or freed handle, a length mismatch, an undefined type, a wrong length or value
    /// (the policy is then unchanged).</returns>
    public static int ipsec_set_policy_attr(IpsecPolicyHandle? policy, uint attr_type, uint attr_len, byte[]? attr_val) =>
        ipsec_set_policy_attr(policy, attr_type, attr_len, attr_val.AsSpan());

    /// <inheritdoc cref="ipsec_set_policy_attr(IpsecPolicyHandle?, uint, uint, byte[])"/>
    public static int ipsec_set_policy_attr(IpsecPolicyHandle? policy, uint attr_type, uint attr_len, ReadOnlySpan<byte> attr_val)
    {
        if (policy is null || !LengthMatches(attr_len, attr_val))
        {
            return Einval;
        }

        // The TLS converter's flags are opaque to IpsecPolicy; this layer knows which it defines.
        ChannelBindingSelection bindings = default;
        if (attr_type == IPSEC_CHANNEL_BINDING_TYPES
            && (attr_val.Length != sizeof(uint) || !TlsChannelBindings.TryFromDraftValue(BitConverter.ToUInt32(attr_val), out bindings)))
        {
            return Einval;
        }

        try
        {
            while (policy.Current is { } current)
            {
                var next = attr_type == IPSEC_CHANNEL_BINDING_TYPES
                    ? current with { ChannelBindings = bindings }
                    : current.WithAttribute((IpsecPolicyAttributeType)attr_type, attr_val);
                if (policy.TryReplace(current, next))
                {
                    return Ok;
                }
            }

            return Einval; // freed
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary><c>ipsec_cmp_policy</c>: compares every attribute.</summary>
    /// <returns>0 when equal, 1 when different, EINVAL when either handle is null or freed (so any non-zero result
    /// means "not known to be equal", as the draft's callers assume).</returns>
    public static int ipsec_cmp_policy(IpsecPolicyHandle? p1, IpsecPolicyHandle? p2) =>
        p1?.Current is { } a && p2?.Current is { } b ? (a == b ? 0 : 1) : Einval;

    /// <summary><c>ipsec_dup_policy</c>: a new handle holding an equal policy; the caller frees it.</summary>
    /// <returns>0; EINVAL for a null or freed handle; ENOMEM (then <paramref name="p_dup"/> is null).</returns>
    public static int ipsec_dup_policy(IpsecPolicyHandle? p, out IpsecPolicyHandle? p_dup)
    {
        p_dup = null;
        if (p?.Current is not { } current)
        {
            return Einval;
        }

        try
        {
            p_dup = new IpsecPolicyHandle(current.Duplicate());
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }
}
