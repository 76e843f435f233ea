using System.Net.Sockets;
using System.Runtime.InteropServices;
using CbbToolkit.Ipsec.Interop;
using Microsoft.Win32.SafeHandles;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>
/// The network namespace a socket lives in (SIOCGSKNS), so its IPsec state is read where the socket's traffic is:
/// a socket keeps the namespace it was created in, whichever namespace the reading thread is in.
/// </summary>
internal sealed class SocketNamespace : IDisposable
{
    private readonly SafeFileHandle? _handle;

    private SocketNamespace(SafeFileHandle? handle, string? path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>A path that names the socket's namespace (for <see cref="Namespaces.NetworkNamespace.Run{T}"/>), or null when it is the process's own.</summary>
    public string? Path { get; }

    /// <summary>Opens the socket's namespace; valid until disposed.</summary>
    /// <exception cref="IpsecException">PermissionDenied without CAP_NET_ADMIN; ProtocolOptionUnavailable on a kernel without SIOCGSKNS.</exception>
    public static SocketNamespace Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var fd = Libc.Ioctl(socket.SafeHandle, Libc.SIOCGSKNS);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                LinuxErrno.EPERM => new IpsecException(IpsecError.PermissionDenied,
                    "Finding the socket's network namespace (SIOCGSKNS) needs CAP_NET_ADMIN (EPERM)."),
                LinuxErrno.EINVAL or LinuxErrno.ENOTTY => new IpsecException(IpsecError.ProtocolOptionUnavailable,
                    $"This kernel cannot tell a socket's network namespace (SIOCGSKNS: {LinuxErrno.Name(errno)})."),
                _ => new IpsecException(LinuxErrno.ToIpsecError(errno), $"Finding the socket's network namespace failed: {LinuxErrno.Name(errno)}."),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var path = $"/proc/self/fd/{fd}";
        if (SameNamespace(path, "/proc/self/ns/net"))
        {
            handle.Dispose();
            return new SocketNamespace(null, null);
        }

        return new SocketNamespace(handle, path);
    }

    public void Dispose() => _handle?.Dispose();

    // Both links read "net:[inode]"; equal inodes are the same namespace.
    private static bool SameNamespace(string a, string b)
    {
        try
        {
            return new FileInfo(a).LinkTarget is { } x && new FileInfo(b).LinkTarget is { } y && string.Equals(x, y, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
