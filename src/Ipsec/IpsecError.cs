using CbbToolkit.Ipsec.Interop;

namespace CbbToolkit.Ipsec;

/// <summary>
/// The error values of the draft's C-shaped API (its "XX FIX" lists and empty Table 4, filled in).
/// Each value equals the Linux errno it is modelled on (one list: Interop/LinuxErrno.cs), so a kernel error maps to itself.
/// docs/api.md lists which function returns which value and why.
/// </summary>
public enum IpsecError
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>EPERM: missing CAP_NET_ADMIN, or less protection asked for than the system policy requires.</summary>
    PermissionDenied = LinuxErrno.EPERM,
    /// <summary>ENOENT: the attribute is not present, or no binding of the asked type is available.</summary>
    NotFound = LinuxErrno.ENOENT,
    /// <summary>ESRCH: the kernel has no such SA or policy.</summary>
    NoSuchEntry = LinuxErrno.ESRCH,
    /// <summary>
    /// EIO: an unexpected failure inside the toolkit or the runtime (a bug, or runtime internals that changed). The draft
    /// facade's catch-all; the .NET API throws the underlying exception instead.
    /// </summary>
    InternalError = LinuxErrno.EIO,
    /// <summary>EAGAIN: no SA yet; key management has been asked (ACQUIRE) and may still set one up.</summary>
    TryAgain = LinuxErrno.EAGAIN,
    /// <summary>ENOMEM: out of memory.</summary>
    OutOfMemory = LinuxErrno.ENOMEM,
    /// <summary>EACCES: blocked by the local or the peer's security policy database.</summary>
    BlockedByPolicy = LinuxErrno.EACCES,
    /// <summary>EEXIST: an SA or policy with the same identity already exists.</summary>
    AlreadyExists = LinuxErrno.EEXIST,
    /// <summary>EINVAL: bad attribute type, wrong value length or value, bad direction, malformed input.</summary>
    InvalidArgument = LinuxErrno.EINVAL,
    /// <summary>EPIPE: the connection latch is BROKEN (RFC 5660 section 2.2).</summary>
    LatchBroken = LinuxErrno.EPIPE,
    /// <summary>EBADMSG: a serialized structure or a protocol message failed to parse.</summary>
    BadMessage = LinuxErrno.EBADMSG,
    /// <summary>EOVERFLOW: a value does not fit the destination.</summary>
    Overflow = LinuxErrno.EOVERFLOW,
    /// <summary>EMSGSIZE: the buffer is too small or the input too large.</summary>
    MessageTooLarge = LinuxErrno.EMSGSIZE,
    /// <summary>ENOPROTOOPT: the backend or socket option is not available (for example no XFRM in this kernel).</summary>
    ProtocolOptionUnavailable = LinuxErrno.ENOPROTOOPT,
    /// <summary>EOPNOTSUPP: the operation is not supported here (for example tls-exporter on TLS 1.2 without extended master secret).</summary>
    NotSupported = LinuxErrno.EOPNOTSUPP,
    /// <summary>ENOBUFS: the kernel ran out of buffer space.</summary>
    NoBufferSpace = LinuxErrno.ENOBUFS,
    /// <summary>ECONNRESET: the connection latch was CLOSED administratively.</summary>
    LatchClosed = LinuxErrno.ECONNRESET,
    /// <summary>ENOTCONN: there is no latch (or no connection) for this socket or 5-tuple.</summary>
    NotConnected = LinuxErrno.ENOTCONN,
    /// <summary>ETIMEDOUT: key management set up no SA in time (apireq section 9).</summary>
    TimedOut = LinuxErrno.ETIMEDOUT,
    /// <summary>ECONNREFUSED: authentication failed, or the IKE daemon could not be reached.</summary>
    ConnectionRefused = LinuxErrno.ECONNREFUSED,
    /// <summary>EKEYREJECTED: the channel binding differs from the stored one.</summary>
    KeyRejected = LinuxErrno.EKEYREJECTED,
}
