using System.Runtime.InteropServices;

namespace CbbToolkit.Ipsec.Interop;

internal static partial class Libc
{
    /// <summary>SIOCGSKNS: a new descriptor of the network namespace a socket lives in (Linux 4.9+, CAP_NET_ADMIN).</summary>
    internal const uint SIOCGSKNS = 0x894C;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, nuint request);
}
