using System.Globalization;

namespace CbbToolkit.Ipsec.Interop;

/// <summary>
/// The Linux errno values the toolkit reads or returns (asm-generic/errno-base.h and errno.h; x86-64, arm64 and the
/// other asm-generic architectures agree on all of them), their names for messages, and the one mapping to
/// <see cref="IpsecError"/>, whose values are defined from this list.
/// </summary>
internal static class LinuxErrno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int EBADMSG = 74;
    public const int EOVERFLOW = 75;
    public const int EMSGSIZE = 90;
    public const int ENOPROTOOPT = 92;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EKEYREJECTED = 129;

    /// <summary>
    /// The <see cref="IpsecError"/> for an errno from the kernel or the C library. Values <see cref="IpsecError"/>
    /// defines map to themselves; "busy" becomes TryAgain, the "not supported" family NotSupported, anything else
    /// (and 0, which is no error to report) InternalError. Callers that know what was asked refine the mapping for their
    /// request (XFRM's ENOENT is "no such SA") and say why in the message.
    /// </summary>
    public static IpsecError ToIpsecError(int errno) => errno switch
    {
        EBUSY => IpsecError.TryAgain,
        ENOSYS or EPROTONOSUPPORT or EOPNOTSUPP or EAFNOSUPPORT => IpsecError.NotSupported,
        > 0 when Enum.IsDefined((IpsecError)errno) => (IpsecError)errno,
        _ => IpsecError.InternalError,
    };

    /// <summary>The errno's symbolic name for messages, e.g. "EPERM"; "errno N" for one not in the list.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => nameof(EPERM),
        ENOENT => nameof(ENOENT),
        ESRCH => nameof(ESRCH),
        EINTR => nameof(EINTR),
        EIO => nameof(EIO),
        EAGAIN => nameof(EAGAIN),
        ENOMEM => nameof(ENOMEM),
        EACCES => nameof(EACCES),
        EBUSY => nameof(EBUSY),
        EEXIST => nameof(EEXIST),
        EINVAL => nameof(EINVAL),
        ENOTTY => nameof(ENOTTY),
        EPIPE => nameof(EPIPE),
        ENOSYS => nameof(ENOSYS),
        EBADMSG => nameof(EBADMSG),
        EOVERFLOW => nameof(EOVERFLOW),
        EMSGSIZE => nameof(EMSGSIZE),
        ENOPROTOOPT => nameof(ENOPROTOOPT),
        EPROTONOSUPPORT => nameof(EPROTONOSUPPORT),
        EOPNOTSUPP => nameof(EOPNOTSUPP),
        EAFNOSUPPORT => nameof(EAFNOSUPPORT),
        ECONNRESET => nameof(ECONNRESET),
        ENOBUFS => nameof(ENOBUFS),
        ENOTCONN => nameof(ENOTCONN),
        ETIMEDOUT => nameof(ETIMEDOUT),
        ECONNREFUSED => nameof(ECONNREFUSED),
        EKEYREJECTED => nameof(EKEYREJECTED),
        _ => "errno " + errno.ToString(CultureInfo.InvariantCulture),
    };
}
