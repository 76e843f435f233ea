using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using CbbToolkit.Channels.DraftApi;

namespace CbbToolkit.NativeApi;

// Draft 2.2.5: ipsec_openssl_to_channel_info over the C program's own SSL* (OpenSslChannelInfo).
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "No managed exception may reach C.")]
[SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Ownership of a new handle moves to HandleTable.")]
internal static unsafe partial class NativeExports
{
    [UnmanagedCallersOnly(EntryPoint = "ipsec_openssl_to_channel_info")]
    private static int OpenSslToChannelInfo(nint ssl, nint policy, nint* ci)
    {
        try
        {
            if (ci is null)
            {
                return Einval;
            }

            *ci = 0;
            if (ssl == 0 || HandleTable.Shared.Get<IpsecPolicyHandle>(policy, HandleKind.Policy) is not { IsFreed: false } handle)
            {
                return Einval;
            }

            return Publish(HandleKind.ChannelInfo, new ChannelInfoHandle(OpenSslChannelInfo.From(ssl, handle.Policy)), ci);
        }
        catch (Exception e)
        {
            return IpsecApi.ErrorOf(e);
        }
    }
}
