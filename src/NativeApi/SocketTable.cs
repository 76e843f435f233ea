using System.Net.Sockets;
using System.Runtime.InteropServices;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Sockets;

namespace CbbToolkit.NativeApi;

/// <summary>
/// What the C API remembers per socket descriptor: the policy it attached (the kernel cannot report it) and the channel
/// the application required. An entry is keyed by descriptor and the socket's inode, so a descriptor number that was
/// closed and reused for another socket does not inherit the old socket's state.
/// </summary>
/// <remarks>Thread safe: one lock guards the map; at most one entry per descriptor.</remarks>
internal static unsafe partial class SocketTable
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Entry> Entries = [];

    /// <summary>
    /// A fresh <see cref="Socket"/> over the caller's descriptor (not owned: never closed here), so its connected state
    /// and end points are read now, not cached from an earlier call. Null for a negative, closed or non-socket descriptor.
    /// </summary>
    public static Socket? Open(int fd)
    {
        int type = 0, length = sizeof(int);
        if (fd < 0 || GetSockOpt(fd, SolSocket, SoType, &type, &length) != 0)
        {
            return null; // EBADF or ENOTSOCK: .NET would wrap any descriptor without asking
        }

        return new Socket(new SafeSocketHandle(fd, ownsHandle: false));
    }

    /// <summary>What this library set on the socket behind <paramref name="fd"/>, if anything.</summary>
    public static SocketPolicyRecord? PolicyOf(int fd) => Find(fd)?.Policy;

    /// <summary>The channel required of the socket behind <paramref name="fd"/>, if any.</summary>
    public static ChannelInfo? RequiredOf(int fd) => Find(fd)?.Required;

    /// <summary>Records what was set on the socket behind <paramref name="fd"/>.</summary>
    public static void SetPolicy(int fd, SocketPolicyRecord policy) => Update(fd, e => e with { Policy = policy });

    /// <summary>Records the channel required of the socket behind <paramref name="fd"/>.</summary>
    public static void SetRequired(int fd, ChannelInfo required) => Update(fd, e => e with { Required = required });

    private static Entry? Find(int fd)
    {
        if (Inode(fd) is not { } inode)
        {
            return null;
        }

        lock (Gate)
        {
            if (Entries.TryGetValue(fd, out var entry) && entry.Inode == inode)
            {
                return entry;
            }

            Entries.Remove(fd); // another socket now has this number
            return null;
        }
    }

    private static void Update(int fd, Func<Entry, Entry> change)
    {
        if (Inode(fd) is not { } inode)
        {
            throw new IpsecException(IpsecError.InvalidArgument, "The descriptor is closed.");
        }

        lock (Gate)
        {
            var current = Entries.TryGetValue(fd, out var e) && e.Inode == inode ? e : new Entry(inode, null, null);
            Entries[fd] = change(current);
        }
    }

    // (st_dev, st_ino): the first 16 bytes of struct stat on x86_64 and aarch64 alike.
    private static (ulong Device, ulong Inode)? Inode(int fd)
    {
        var buffer = stackalloc ulong[32]; // struct stat is 144 (x86_64) or 128 (aarch64) bytes
        return fd >= 0 && FStat(fd, buffer) == 0 ? (buffer[0], buffer[1]) : null;
    }

    private const int SolSocket = 1;
    private const int SoType = 3;

    [LibraryImport("libc", EntryPoint = "fstat")]
    private static partial int FStat(int fd, ulong* buffer);

    [LibraryImport("libc", EntryPoint = "getsockopt")]
    private static partial int GetSockOpt(int fd, int level, int name, int* value, int* length);

    private sealed record Entry((ulong Device, ulong Inode) Inode, SocketPolicyRecord? Policy, ChannelInfo? Required);
}
