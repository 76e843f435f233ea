using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;

namespace CbbToolkit.NativeApi;

// Draft 2.1.4 and 2.2.4 over struct msghdr: the policy travels as a control message (MsgPolicyControl); channel
// information per datagram is EOPNOTSUPP, as in the facade (IpsecApi.Msg.cs): Linux cannot deliver it.
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "No managed exception may reach C.")]
[SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Ownership of a new handle moves to HandleTable.")]
internal static unsafe partial class NativeExports
{
    [UnmanagedCallersOnly(EntryPoint = "ipsec_set_msg_policy")]
    private static int SetMsgPolicy(byte* msg, nint policy)
    {
        try
        {
            return msg is null || HandleTable.Shared.Get<IpsecPolicyHandle>(policy, HandleKind.Policy) is not { IsFreed: false } handle
                ? Einval
                : MsgPolicyControl.Write(msg, handle);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_get_msg_policy")]
    private static int GetMsgPolicy(byte* msg, nint* policy)
    {
        try
        {
            if (msg is null || policy is null)
            {
                return Einval;
            }

            *policy = 0;
            var rc = MsgPolicyControl.Read(msg, out var found);
            return rc != 0 ? rc : Publish(HandleKind.Policy, found!, policy);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_set_msg_channel_info")]
    private static int SetMsgChannelInfo(byte* msg, nint ci)
    {
        try
        {
            var handle = HandleTable.Shared.Get<ChannelInfoHandle>(ci, HandleKind.ChannelInfo);
            return msg is null ? Einval : IpsecApi.ipsec_set_msg_channel_info(new IpsecMessage(), handle);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_get_msg_channel_info")]
    private static int GetMsgChannelInfo(byte* msg, nint* ci)
    {
        try
        {
            if (msg is null || ci is null)
            {
                return Einval;
            }

            *ci = 0;
            return IpsecApi.ipsec_get_msg_channel_info(new IpsecMessage(), out _);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }
}
