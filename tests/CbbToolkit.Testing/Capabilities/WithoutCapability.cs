using System.Runtime.InteropServices;

namespace CbbToolkit.Testing.Capabilities;

/// <summary>
/// Runs code on a thread that has dropped one capability from its effective set. Linux credentials are per thread
/// and capset(2) changes only the caller, so the rest of the test process keeps root; the thread ends afterwards.
/// </summary>
public static partial class WithoutCapability
{
    /// <summary>CAP_NET_ADMIN.</summary>
    public const int NetAdmin = 12;
    private const uint Version3 = 0x20080522;

    /// <summary>Runs <paramref name="work"/> on a new thread without <paramref name="capability"/>; rethrows what it throws.</summary>
    public static T Run<T>(int capability, Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Drop(capability);
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return result;
    }

    private static unsafe void Drop(int capability)
    {
        var header = new CapHeader { Version = Version3, Pid = 0 };
        var data = stackalloc CapData[2];
        if (CapGet(&header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }

        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (CapSet(&header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static unsafe partial int CapGet(CapHeader* header, CapData* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static unsafe partial int CapSet(CapHeader* header, CapData* data);

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
