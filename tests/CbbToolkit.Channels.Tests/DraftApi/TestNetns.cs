using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Channels.Tests.DraftApi;

/// <summary>
/// A network namespace one test creates (lo up) and deletes in Dispose; sockets made with it live in it, and
/// <see cref="Ip"/> runs iproute2 in it to set up policies and to show what the kernel holds.
/// </summary>
internal sealed class TestNetns : IDisposable
{
    private TestNetns(string name) => Name = name;

    public string Name { get; }

    public static TestNetns Create()
    {
        Root.Require("The socket functions' kernel tests (network namespaces)");
        var ns = new TestNetns("cbbd-" + Guid.NewGuid().ToString("N")[..8]);
        Run("ip", "netns", "add", ns.Name);
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

    /// <summary>
    /// Joins this namespace (10.0.0.1/24) and <paramref name="other"/> (10.0.0.2/24) with a veth pair. Traffic between
    /// them goes through the XFRM lookup; loopback does not (lo has disable_xfrm, so only socket policies apply there).
    /// </summary>
    public void Link(TestNetns other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Run("ip", "link", "add", "veth0", "netns", Name, "type", "veth", "peer", "name", "veth0", "netns", other.Name);
        Ip("addr", "add", "10.0.0.1/24", "dev", "veth0");
        other.Ip("addr", "add", "10.0.0.2/24", "dev", "veth0");
        Ip("link", "set", "veth0", "up");
        other.Ip("link", "set", "veth0", "up");
    }

    /// <summary>
    /// Transport-mode ESP between this namespace (10.0.0.1, after <see cref="Link"/>) and <paramref name="other"/>
    /// (10.0.0.2): SAs 0x101 (1 -> 2, AES-GCM) and 0x201 (2 -> 1, AES-CBC + HMAC-SHA256) with reqid 1 and policies
    /// requiring them in both namespaces. Skips on a kernel without ESP (the host); fails in the lab guest (CBB_LAB=uml).
    /// </summary>
    public void AddEspPair(TestNetns other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var ns in new[] { this, other })
        {
            string[] forward = ["xfrm", "state", "add", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp", "spi", "0x101", "reqid", "1",
                "mode", "transport", "aead", "rfc4106(gcm(aes))", "0x6cdeb6d1b3a0c54e8f3a77ad21c60ab79e51c2d5", "128"];
            if (ns == this && TryRun("ip", ["-n", Name, .. forward]) is { } error)
            {
                Esp.Unavailable($"ip: {error}", "tests/lab/uml/run.sh --project tests/CbbToolkit.Channels.Tests");
            }
            else if (ns != this)
            {
                ns.Ip(forward);
            }

            ns.Ip("xfrm", "state", "add", "src", "10.0.0.2", "dst", "10.0.0.1", "proto", "esp", "spi", "0x201", "reqid", "1", "mode", "transport",
                "enc", "cbc(aes)", "0x3b0f9a7b1c5e4d2a8f6e0c9b7a5d3e1f",
                "auth-trunc", "hmac(sha256)", "0x9c4e2b7d0a1f3e5c8b6d4a2e0f1c3b5d7e9a1c3e5b7d9f0a2c4e6b8d0f1a3c5e", "128");
            var (self, peer) = ns == this ? ("10.0.0.1", "10.0.0.2") : ("10.0.0.2", "10.0.0.1");
            ns.Ip("xfrm", "policy", "add", "src", self, "dst", peer, "dir", "out", "tmpl", "proto", "esp", "mode", "transport", "reqid", "1");
            ns.Ip("xfrm", "policy", "add", "src", peer, "dst", self, "dir", "in", "tmpl", "proto", "esp", "mode", "transport", "reqid", "1");
        }
    }

    public string Ip(params string[] arguments) => Run("ip", ["-n", Name, .. arguments]);

    public Socket Tcp(AddressFamily family = AddressFamily.InterNetwork) =>
        NetworkNamespace.Run(Name, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

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

    public Socket Listen(IPAddress address) => NetworkNamespace.Run(Name, () =>
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        return listener;
    });

    /// <summary>A connected TCP pair over loopback: the client socket and the accepted server socket.</summary>
    public async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = Listen(IPAddress.Loopback);
        var client = Tcp();
        await client.ConnectAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken);
        var server = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        return (client, server);
    }

    public void Dispose() => Run("ip", "netns", "del", Name);

    private static string Run(string file, params string[] arguments)
    {
        var error = TryRun(file, arguments, out var stdout);
        Assert.True(error is null, $"{file} {string.Join(' ', arguments)} failed: {error}");
        return stdout;
    }

    // Null on success, else the exit code and stderr.
    private static string? TryRun(string file, string[] arguments) => TryRun(file, arguments, out _);

    private static string? TryRun(string file, string[] arguments, out string output)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 20 s.");
        }

        output = stdout.Result;
        return p.ExitCode == 0 ? null : $"exit {p.ExitCode}: {stderr.Result.Trim()}";
    }
}
