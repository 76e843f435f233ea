using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Namespaces;

/// <summary>
/// A network namespace one test creates (lo up) and deletes in Dispose, so kernel state never leaks between tests.
/// <see cref="Ip"/> runs iproute2 in it, the reference tool our results are compared with; the socket helpers open
/// sockets inside it. Creating one skips the test when not root.
/// </summary>
public sealed class ScratchNamespace : IDisposable
{
    internal ScratchNamespace(string name) => Name = name;

    /// <summary>The namespace's name (random, so tests run in parallel).</summary>
    public string Name { get; }

    /// <summary>Skips the test unless this machine can make network namespaces (root, iproute2, procfs).</summary>
    public static void RequireSupport()
    {
        Root.Require("Creating network namespaces");
        Tool.Require("ip", "iproute2");
        // ip netns binds /proc/self/ns/net, and the XFRM tests read /proc/net: without procfs neither works.
        Skip.Unless(File.Exists("/proc/net/xfrm_stat") || Directory.Exists("/proc/sys/net/core"), SkipCategory.NeedsProcfs,
            "No procfs to make network namespaces with or to tell whether XFRM exists.");
    }

    /// <summary>Creates the namespace, or skips the test when this machine cannot.</summary>
    /// <param name="prefix">Starts the name, so a left-over namespace says which suite made it.</param>
    public static ScratchNamespace Create(string prefix = "cbbt-")
    {
        RequireSupport();
        var ns = new ScratchNamespace(prefix + Guid.NewGuid().ToString("N")[..8]);
        Tool.Run("ip", "netns", "add", ns.Name);
        try
        {
            ns.Ip("link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Runs <c>ip -n NAME ARGS</c> and returns its output; a non-zero exit throws with ip's stderr.</summary>
    public string Ip(params string[] arguments) => Tool.Run("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs <c>ip -n NAME ARGS</c> and returns how it ended.</summary>
    public ProcessResult TryIp(params string[] arguments) => Tool.TryRun("ip", ["-n", Name, .. arguments]);

    /// <summary><see cref="Ip"/> with the arguments given as one command line, split at blanks (no quoting).</summary>
    public string IpLine(string commandLine) => Ip(Split(commandLine));

    /// <summary><see cref="TryIp"/> with the arguments given as one command line, split at blanks (no quoting).</summary>
    public ProcessResult TryIpLine(string commandLine) => TryIp(Split(commandLine));

    /// <summary>The namespace's XFRM policies as <c>ip -s xfrm policy</c> shows them.</summary>
    public IReadOnlyList<IpXfrmPolicy> XfrmPolicies() => IpXfrm.Policies(Name);

    /// <summary>The namespace's SAs as <c>ip -s xfrm state</c> shows them (without keys).</summary>
    public IReadOnlyList<IpXfrmState> XfrmStates() => IpXfrm.States(Name);

    /// <summary>
    /// Runs <c>ip -n NAME -batch -</c> with <paramref name="commands"/> (one ip command a line) on stdin: one process for
    /// many commands (process starts are slow in User-Mode Linux), and keys stay off command lines.
    /// </summary>
    public string Batch(string commands) => Tool.Run("ip", ["-n", Name, "-batch", "-"], commands);

    /// <summary>Runs a program inside the namespace (<c>ip netns exec NAME FILE ARGS</c>) and returns its output; a non-zero exit throws.</summary>
    public string Exec(string file, params string[] arguments) => Tool.Run("ip", ["netns", "exec", Name, file, .. arguments]);

    /// <summary>
    /// Joins this namespace (<paramref name="local"/>/24 on veth0) and <paramref name="other"/> (<paramref name="remote"/>/24)
    /// with a veth pair. Traffic between them goes through the XFRM lookup; loopback does not (lo has disable_xfrm).
    /// </summary>
    public void Link(ScratchNamespace other, string local = "10.0.0.1", string remote = "10.0.0.2")
    {
        ArgumentNullException.ThrowIfNull(other);
        Tool.Run("ip", "link", "add", "veth0", "netns", Name, "type", "veth", "peer", "name", "veth0", "netns", other.Name);
        Ip("addr", "add", local + "/24", "dev", "veth0");
        other.Ip("addr", "add", remote + "/24", "dev", "veth0");
        Ip("link", "set", "veth0", "up");
        other.Ip("link", "set", "veth0", "up");
    }

    /// <summary>A TCP socket inside the namespace.</summary>
    public Socket Tcp(AddressFamily family = AddressFamily.InterNetwork) =>
        NetworkNamespace.Run(Name, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>A UDP socket inside the namespace, bound to <paramref name="bindTo"/> (any port; IPv6 only for IPv6).</summary>
    public Socket Udp(IPAddress bindTo) => NetworkNamespace.Run(Name, () =>
    {
        var socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bindTo.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }

        socket.Bind(new IPEndPoint(bindTo, 0));
        return socket;
    });

    /// <summary>A listening TCP socket inside the namespace on <paramref name="address"/> (any port).</summary>
    public Socket Listen(IPAddress address) => NetworkNamespace.Run(Name, () =>
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        return listener;
    });

    /// <summary>A connected TCP pair over the namespace's loopback: the client socket and the accepted server socket.</summary>
    public async Task<(Socket Client, Socket Server)> ConnectedPairAsync(CancellationToken cancellationToken)
    {
        using var listener = Listen(IPAddress.Loopback);
        var client = Tcp();
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        var server = await listener.AcceptAsync(cancellationToken);
        return (client, server);
    }

    /// <summary>Deletes the namespace (and whatever the kernel holds in it).</summary>
    public void Dispose() => Tool.TryRun("ip", ["netns", "del", Name]);

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
