using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Sockets;

namespace CbbToolkit.NativeApi;

// Draft 2.1.3 and 2.2.3 over IpsecApi.Socket.cs. Each call wraps the C program's descriptor in a fresh, non-owning
// Socket (its state read now); what must outlive one call - the attached policy, the required channel - SocketTable keeps
// and hands to each new Socket where the facade looks for it (SocketPolicyRegistry, the context's requirements).
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "No managed exception may reach C.")]
[SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The Socket does not own the C program's descriptor; ownership of a new handle moves to HandleTable.")]
internal static unsafe partial class NativeExports
{
    [UnmanagedCallersOnly(EntryPoint = "ipsec_set_socket_policy")]
    private static int SetSocketPolicy(int fd, nint policy)
    {
        try
        {
            if (HandleTable.Shared.Get<IpsecPolicyHandle>(policy, HandleKind.Policy) is not { IsFreed: false } handle
                || SocketTable.Open(fd) is not { } socket)
            {
                return Einval;
            }

            var rc = IpsecApi.ipsec_set_socket_policy(socket, handle);
            if (rc == 0 && SocketPolicyRegistry.Get(socket) is { } record)
            {
                SocketTable.SetPolicy(fd, record); // its policy is immutable: later sets on the handle change nothing
            }

            return rc;
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_get_socket_policy")]
    private static int GetSocketPolicy(int fd, nint* policy)
    {
        try
        {
            if (policy is null)
            {
                return Einval;
            }

            *policy = 0;
            if (SocketTable.Open(fd) is null)
            {
                return Einval;
            }

            return SocketTable.PolicyOf(fd) is { } record
                ? Publish(HandleKind.Policy, new IpsecPolicyHandle(record.Policy), policy)
                : (int)IpsecError.NotFound;
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_set_socket_channel_info")]
    private static int SetSocketChannelInfo(int fd, nint ci)
    {
        try
        {
            if (HandleTable.Shared.Get<ChannelInfoHandle>(ci, HandleKind.ChannelInfo) is not { IsFreed: false } handle
                || SocketTable.Open(fd) is not { } socket)
            {
                return Einval;
            }

            var required = handle.ChannelInfo; // immutable: a copy in effect
            var rc = IpsecApi.ipsec_set_socket_channel_info(socket, handle); // validates: a pin must compare something
            if (rc == 0)
            {
                SocketTable.SetRequired(fd, required);
            }

            return rc;
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_get_socket_channel_info")]
    private static int GetSocketChannelInfo(int fd, nint* ci)
    {
        try
        {
            if (ci is null)
            {
                return Einval;
            }

            *ci = 0;
            if (SocketTable.Open(fd) is not { } socket)
            {
                return Einval;
            }

            // The resolver matches the socket's own policy first and the facade checks the requirement: both by Socket object.
            if (SocketTable.PolicyOf(fd) is { } record)
            {
                SocketPolicyRegistry.Set(socket, record);
            }

            var context = IpsecApiContext.Default;
            if (SocketTable.RequiredOf(fd) is { } required)
            {
                context.Require(socket, required);
            }

            var rc = IpsecApi.ipsec_get_socket_channel_info(context, socket, out var channel);
            return rc != 0 ? rc : Publish(HandleKind.ChannelInfo, channel!, ci);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }
}
