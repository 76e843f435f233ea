using System.Runtime.InteropServices;
using CbbToolkit.Ipsec.Interop;
using Microsoft.Win32.SafeHandles;

namespace CbbToolkit.Ipsec.Namespaces;

/// <summary>
/// Runs code inside a Linux network namespace. Sockets (netlink included) keep the namespace they were created in, so
/// a socket opened by <see cref="Run{T}"/> works in that namespace for its whole life, whichever thread uses it later.
/// </summary>
/// <remarks>
/// setns(2) changes only the calling thread, so the work runs on a dedicated thread and the process's other threads
/// never see the switch.
/// </remarks>
public static class NetworkNamespace
{
    /// <summary>The folder where iproute2 keeps named namespaces.</summary>
    public const string NamedNamespaceFolder = "/var/run/netns";

    /// <summary>Runs <paramref name="work"/> in the namespace <paramref name="name"/> (as created by <c>ip netns add</c>) or at a path.</summary>
    /// <exception cref="IpsecException">NotFound when the namespace does not exist; PermissionDenied without CAP_SYS_ADMIN.</exception>
    public static T Run<T>(string name, Func<T> work)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(work);
        var path = name.Contains('/', StringComparison.Ordinal) ? name : Path.Combine(NamedNamespaceFolder, name);

        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = Open(path);
                Enter(target, path);
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "netns " + name,
        };

        // The thread ends after the work, so its namespace never leaks to pooled threads.
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return result;
    }

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IpsecException(IpsecError.NotFound, $"Network namespace '{path}' does not exist (create it with 'ip netns add').", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IpsecException(IpsecError.PermissionDenied, $"Network namespace '{path}' cannot be opened: permission denied.", e);
        }
    }

    private static void Enter(SafeFileHandle target, string path)
    {
        if (Interop.Libc.SetNs(target, Interop.Libc.CLONE_NEWNET) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IpsecException(errno == LinuxErrno.EPERM ? IpsecError.PermissionDenied : IpsecError.InvalidArgument,
                $"Cannot enter network namespace '{path}': errno {errno}" + (errno == LinuxErrno.EPERM ? " (needs CAP_SYS_ADMIN)." : "."));
        }
    }
}
