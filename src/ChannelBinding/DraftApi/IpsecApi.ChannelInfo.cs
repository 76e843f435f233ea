using System.Diagnostics.CodeAnalysis;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.DraftApi;

// Draft sections 2.2.1 (creation), 2.2.2 (attributes) and 2.2.5 (compare, duplicate).
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The draft's functions return error values; nothing may escape.")]
public static partial class IpsecApi
{
    /// <summary><c>ipsec_create_channel_info</c>: new, empty channel information.</summary>
    /// <returns>The handle, or null when out of memory (the draft's NULL on failure).</returns>
    public static ChannelInfoHandle? ipsec_create_channel_info()
    {
        try
        {
            return new ChannelInfoHandle(ChannelInfo.Empty);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary><c>ipsec_free_channel_info</c>: frees the handle; using it afterwards is EINVAL.</summary>
    /// <returns>0; EINVAL for null or an already freed handle.</returns>
    public static int ipsec_free_channel_info(ChannelInfoHandle? ci) => ci?.TryFree() == true ? Ok : Einval;

    /// <summary><c>ipsec_get_channel_attr</c>: a new copy of the attribute's value and its length (Table 3 in docs/api.md).</summary>
    /// <returns>0; EINVAL for a null or freed handle or an undefined type; ENOENT when the attribute is not present; ENOMEM.
    /// On failure <paramref name="attr_len"/> is 0 and <paramref name="attr_val"/> null.</returns>
    public static int ipsec_get_channel_attr(ChannelInfoHandle? ci, uint attr_type, out uint attr_len, out byte[]? attr_val)
    {
        attr_len = 0;
        attr_val = null;
        if (ci?.Current is not { } current || !IsChannelAttribute(attr_type, out var type))
        {
            return Einval;
        }

        if (!current.TryGet(type, out var value))
        {
            return (int)IpsecError.NotFound;
        }

        try
        {
            attr_val = value.ToArray();
            attr_len = (uint)attr_val.Length;
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// <c>ipsec_set_channel_attr</c>: sets (or replaces) one attribute. <paramref name="attr_len"/> must equal the length
    /// of <paramref name="attr_val"/>; type, length and value must be ones Table 3 defines.
    /// </summary>
    /// <returns>0; EINVAL for a null or freed handle, a length mismatch, an undefined type, a wrong length or value
    /// (the channel information is then unchanged).</returns>
    public static int ipsec_set_channel_attr(ChannelInfoHandle? ci, uint attr_type, uint attr_len, byte[]? attr_val) =>
        ipsec_set_channel_attr(ci, attr_type, attr_len, attr_val.AsSpan());

    /// <inheritdoc cref="ipsec_set_channel_attr(ChannelInfoHandle?, uint, uint, byte[])"/>
    public static int ipsec_set_channel_attr(ChannelInfoHandle? ci, uint attr_type, uint attr_len, ReadOnlySpan<byte> attr_val)
    {
        if (ci is null || !LengthMatches(attr_len, attr_val) || !IsChannelAttribute(attr_type, out var type))
        {
            return Einval;
        }

        try
        {
            while (ci.Current is { } current)
            {
                if (ci.TryReplace(current, current.With(type, attr_val)))
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

    /// <summary><c>ipsec_cmp_channel_info</c>: compares every attribute, binding values in constant time.</summary>
    /// <returns>0 when equal, 1 when different, EINVAL when either handle is null or freed (any non-zero result means
    /// "not known to be equal": never treat it as a match).</returns>
    public static int ipsec_cmp_channel_info(ChannelInfoHandle? ci1, ChannelInfoHandle? ci2) =>
        ci1?.Current is { } a && ci2?.Current is { } b ? (a.Equals(b) ? 0 : 1) : Einval;

    /// <summary><c>ipsec_dup_channel_info</c>: a new handle holding an equal copy; the caller frees it.</summary>
    /// <returns>0; EINVAL for a null or freed handle; ENOMEM (then <paramref name="ci_dup"/> is null).</returns>
    public static int ipsec_dup_channel_info(ChannelInfoHandle? ci, out ChannelInfoHandle? ci_dup)
    {
        ci_dup = null;
        if (ci?.Current is not { } current)
        {
            return Einval;
        }

        try
        {
            ci_dup = new ChannelInfoHandle(current.Duplicate());
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    private static bool IsChannelAttribute(uint attr_type, out ChannelAttributeType type)
    {
        type = (ChannelAttributeType)attr_type;
        return attr_type <= ushort.MaxValue && ChannelAttributeSpec.TryGet(type, out _);
    }
}
