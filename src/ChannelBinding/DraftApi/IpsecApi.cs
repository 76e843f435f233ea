using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// The C-shaped API of draft-komu-btns-api-01, as a thin facade over <see cref="Ipsec.Policies.IpsecPolicy"/> and
/// <see cref="ChannelInfo"/>: the draft's function names, handles instead of pointers, and <c>int</c> results that are
/// 0 or an <see cref="IpsecError"/> value (a Linux errno). No exception escapes a function of this class: docs/api.md,
/// "Error values", lists which function returns which value. New code should prefer the .NET types.
/// </summary>
/// <remarks>
/// One partial file per group of the draft: IpsecApi.Policy.cs (2.1.1, 2.1.2, 2.1.5), IpsecApi.ChannelInfo.cs (2.2.1,
/// 2.2.2, 2.2.5), IpsecApi.OpenSsl.cs (ipsec_openssl_to_channel_info), IpsecApi.Constants.cs (attribute types),
/// IpsecApi.Socket.cs (2.1.3, 2.2.3: ipsec_set/get_socket_policy, ipsec_set/get_socket_channel_info, over the kernel
/// backend) and IpsecApi.Msg.cs (2.1.4, 2.2.4: ipsec_set/get_msg_policy, ipsec_set/get_msg_channel_info, and the
/// sendmsg/recvmsg stand-ins ipsec_sendmsg/ipsec_recvmsg over <see cref="Ipsec.Sockets.UdpIpsecSender"/>).
/// </remarks>
public static partial class IpsecApi
{
    private const int Ok = 0;
    private const int Einval = (int)IpsecError.InvalidArgument;

    /// <summary>The facade's result for an exception from the .NET layer (docs/api.md, "Error values").</summary>
    internal static int ErrorOf(Exception exception) => (int)(exception switch
    {
        IpsecException { Error: not IpsecError.None } e => e.Error,
        OutOfMemoryException or InsufficientExecutionStackException => IpsecError.OutOfMemory,
        NotSupportedException => IpsecError.NotSupported, // PlatformNotSupportedException too
        ArgumentException or InvalidOperationException => IpsecError.InvalidArgument, // ObjectDisposedException too
        _ => IpsecError.InternalError,
    });

    // Copies a caller's buffer for the set functions: attr_len must say exactly how many octets attr_val holds.
    private static bool LengthMatches(uint attr_len, ReadOnlySpan<byte> attr_val) => attr_len == (uint)attr_val.Length;
}
