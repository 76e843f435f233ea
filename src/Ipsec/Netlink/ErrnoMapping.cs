namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// Kernel errno to <see cref="IpsecError"/>. The enum's values are Linux errnos, so most map to themselves; the rest
/// go to the nearest meaning. Messages that explain the cause live with the callers, who know what was asked.
/// </summary>
internal static class ErrnoMapping
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EAGAIN = 11;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int ENOBUFS = 105;

    public static IpsecError ToError(int errno) => errno switch
    {
        ESRCH => IpsecError.NoSuchEntry,
        ENOENT => IpsecError.NoSuchEntry,
        EBUSY => IpsecError.TryAgain,
        ENOSYS or EPROTONOSUPPORT or EOPNOTSUPP or EAFNOSUPPORT => IpsecError.NotSupported,
        _ when Enum.IsDefined((IpsecError)errno) && errno != 0 => (IpsecError)errno,
        _ => IpsecError.InvalidArgument,
    };

    /// <summary>The errno's symbolic name for messages, e.g. "EPERM".</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        ESRCH => "ESRCH",
        EAGAIN => "EAGAIN",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        EINVAL => "EINVAL",
        ENOSYS => "ENOSYS",
        EPROTONOSUPPORT => "EPROTONOSUPPORT",
        EOPNOTSUPP => "EOPNOTSUPP",
        EAFNOSUPPORT => "EAFNOSUPPORT",
        ENOBUFS => "ENOBUFS",
        12 => "ENOMEM",
        90 => "EMSGSIZE",
        92 => "ENOPROTOOPT",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
