using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using Xunit;

namespace CbbToolkit.ChannelBinding.Tests.DraftApi;

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
        Assert.SkipUnless(Environment.UserName == "root", "The socket functions' kernel tests create network namespaces: run them as root.");
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

        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
