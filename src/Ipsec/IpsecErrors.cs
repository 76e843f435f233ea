using CbbToolkit.Ipsec.Interop;

namespace CbbToolkit.Ipsec;

/// <summary>Conversions to <see cref="IpsecError"/> for code above the IPsec layer (the draft facade).</summary>
public static class IpsecErrors
{
    /// <summary>
    /// The error value for a Linux errno, as the toolkit maps every errno it meets: values <see cref="IpsecError"/>
    /// defines map to themselves, EBUSY to TryAgain, ENOSYS/EPROTONOSUPPORT/EOPNOTSUPP/EAFNOSUPPORT to NotSupported,
    /// anything else to InternalError (EIO).
    /// </summary>
    public static IpsecError FromErrno(int errno) => LinuxErrno.ToIpsecError(errno);
}
