namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// The kernel refused a netlink request. <see cref="IpsecException.Error"/> is the toolkit's error for it;
/// <see cref="Errno"/> keeps the kernel's own errno and <see cref="KernelMessage"/> its extended-ACK text, if any.
/// </summary>
public sealed class NetlinkException : IpsecException
{
    /// <summary>Creates the error for a kernel answer.</summary>
    public NetlinkException(IpsecError error, int errno, string? kernelMessage, string message)
        : base(error, message)
    {
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    /// <summary>The positive errno the kernel answered with.</summary>
    public int Errno { get; }

    /// <summary>The kernel's explanation (netlink extended ACK), for example "Requested type not found".</summary>
    public string? KernelMessage { get; }
}
