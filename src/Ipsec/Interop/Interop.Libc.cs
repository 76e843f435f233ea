using System.Runtime.InteropServices;

namespace CbbToolkit.Ipsec.Interop;

/// <summary>libc calls the runtime does not wrap. Each returns -1 and leaves errno for Marshal.GetLastPInvokeError().</summary>
internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(SafeHandle fd, int nstype);
}
