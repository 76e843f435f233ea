using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;

namespace CbbToolkit.NativeApi;

// Draft 2.2.1, 2.2.2 and 2.2.5 (without the OpenSSL converter) as C exports over IpsecApi.
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "No managed exception may reach C.")]
[SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Ownership of a new handle moves to HandleTable; C frees it with the draft's free function.")]
internal static unsafe partial class NativeExports
{
    [UnmanagedCallersOnly(EntryPoint = "ipsec_create_channel_info")]
    private static nint CreateChannelInfo()
    {
        try
        {
            return IpsecApi.ipsec_create_channel_info() is { } h ? HandleTable.Shared.Add(HandleKind.ChannelInfo, h) : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_free_channel_info")]
    private static int FreeChannelInfo(nint ci)
    {
        try
        {
            return HandleTable.Shared.Remove<ChannelInfoHandle>(ci, HandleKind.ChannelInfo) is { } h ? IpsecApi.ipsec_free_channel_info(h) : Einval;
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_get_channel_attr")]
    private static int GetChannelAttr(nint ci, uint attr_type, uint* attr_len, void** attr_val)
    {
        try
        {
            if (attr_len is null || attr_val is null)
            {
                return Einval;
            }

            *attr_len = 0;
            *attr_val = null;
            var rc = IpsecApi.ipsec_get_channel_attr(HandleTable.Shared.Get<ChannelInfoHandle>(ci, HandleKind.ChannelInfo), attr_type, out var len, out var value);
            return rc != 0 ? rc : Output(value!, len, attr_len, attr_val);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_set_channel_attr")]
    private static int SetChannelAttr(nint ci, uint attr_type, uint attr_len, void* attr_val)
    {
        try
        {
            if (attr_val is null && attr_len != 0)
            {
                return Einval;
            }

            return IpsecApi.ipsec_set_channel_attr(HandleTable.Shared.Get<ChannelInfoHandle>(ci, HandleKind.ChannelInfo), attr_type, attr_len, new ReadOnlySpan<byte>(attr_val, checked((int)attr_len)));
        }
        catch (Exception)
        {
            return Einval;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_cmp_channel_info")]
    private static int CmpChannelInfo(nint ci1, nint ci2)
    {
        try
        {
            var t = HandleTable.Shared;
            return IpsecApi.ipsec_cmp_channel_info(t.Get<ChannelInfoHandle>(ci1, HandleKind.ChannelInfo), t.Get<ChannelInfoHandle>(ci2, HandleKind.ChannelInfo));
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_dup_channel_info")]
    private static int DupChannelInfo(nint ci, nint* ci_dup)
    {
        try
        {
            if (ci_dup is null)
            {
                return Einval;
            }

            *ci_dup = 0;
            var rc = IpsecApi.ipsec_dup_channel_info(HandleTable.Shared.Get<ChannelInfoHandle>(ci, HandleKind.ChannelInfo), out var dup);
            return rc != 0 ? rc : Publish(HandleKind.ChannelInfo, dup!, ci_dup);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }
}
