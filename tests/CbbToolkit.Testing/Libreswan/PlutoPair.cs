using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// Two real libreswan plutos, one in each of two fresh network namespaces A (10.99.0.1/24) and B (10.99.0.2/24) joined
/// by a veth pair, set up with the lab scripts (tests/lab/libreswan: gen-peer.sh, run-pluto.sh): IKEv2 with RFC 7619
/// NULL authentication (<c>authby=null</c>, ids <c>%null</c>), transport mode, narrowed to TCP from A (any port) to
/// B's <see cref="Port"/>; connection <see cref="ConnectionName"/>. One pair per test, so no test inherits another's
/// SAs. <see cref="StartAsync"/> waits until both plutos list the connection and listen on their veth (whack
/// --status), <see cref="BringUpAsync"/> initiates from A and waits until both plutos list the ESP child SA
/// (whack --trafficstatus); Dispose shuts both down (whack --shutdown, then kill) and deletes namespaces and files.
/// </summary>
public sealed class PlutoPair : IAsyncDisposable
{
    /// <summary>The connection's name in both ipsec.conf files.</summary>
    public const string ConnectionName = "null";

    /// <summary>B's TCP port the SAs protect.</summary>
    public const int Port = 8080;

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(90);
    private readonly List<ChildProcess> _plutos = [];
    private readonly string _work;

    private PlutoPair(string work, string tag)
    {
        _work = work;
        NamespaceA = "cbb-la-" + tag;
        NamespaceB = "cbb-lb-" + tag;
    }

    /// <summary>A's namespace (the initiator, 10.99.0.1 on veth-a).</summary>
    public string NamespaceA { get; }

    /// <summary>B's namespace (the responder, 10.99.0.2 on veth-b).</summary>
    public string NamespaceB { get; }

    /// <summary>A's address.</summary>
    public IPAddress AddressA { get; } = IPAddress.Parse("10.99.0.1");

    /// <summary>B's address.</summary>
    public IPAddress AddressB { get; } = IPAddress.Parse("10.99.0.2");

    /// <summary>A's pluto control socket (for whack).</summary>
    public string ControlA => Path.Combine(_work, "a", "run", "pluto.ctl");

    /// <summary>B's pluto control socket.</summary>
    public string ControlB => Path.Combine(_work, "b", "run", "pluto.ctl");

    /// <summary>How long the set-up took (namespaces, peer folders, both plutos up with the connection loaded).</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>How long <see cref="BringUpAsync"/> took (initiate to the child SA listed on both ends).</summary>
    public TimeSpan UpTime { get; private set; }

    /// <summary>Makes the namespaces and peer folders, starts both plutos and waits until both have the connection loaded.</summary>
    /// <exception cref="TimeoutException">When a pluto does not list the connection in time (the message has its log).</exception>
    public static async Task<PlutoPair> StartAsync(CancellationToken cancellationToken)
    {
        LibreswanLab.Require();
        var clock = Stopwatch.StartNew();
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var pair = new PlutoPair(Directory.CreateTempSubdirectory("cbb-pluto-").FullName, tag);
        try
        {
            pair.MakeHosts();
            var (a, b) = (pair.AddressA.ToString(), pair.AddressB.ToString());
            var port = Port.ToString(CultureInfo.InvariantCulture);
            // One ipsec.conf text for both ends (pluto picks its side from its local addresses), a folder each.
            Parallel.Invoke(
                () => LibreswanLab.Script("gen-peer.sh", LibreswanLab.Root, Path.Combine(pair._work, "a"), a, b, port),
                () => LibreswanLab.Script("gen-peer.sh", LibreswanLab.Root, Path.Combine(pair._work, "b"), a, b, port));
            pair._plutos.Add(ChildProcess.Start(Path.Combine(LibreswanLab.Scripts, "run-pluto.sh"), [LibreswanLab.Root, Path.Combine(pair._work, "a"), pair.NamespaceA]));
            pair._plutos.Add(ChildProcess.Start(Path.Combine(LibreswanLab.Scripts, "run-pluto.sh"), [LibreswanLab.Root, Path.Combine(pair._work, "b"), pair.NamespaceB]));
            await Task.WhenAll(
                pair.WaitForLoadedAsync(pair.ControlA, pair._plutos[0], "veth-a", a, cancellationToken),
                pair.WaitForLoadedAsync(pair.ControlB, pair._plutos[1], "veth-b", b, cancellationToken));
            pair.StartTime = clock.Elapsed;
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>whack --initiate</c> on A (it returns when IKE is done), then waits until both plutos list the ESP child SA in
    /// <c>--trafficstatus</c>; returns A's and B's lines.
    /// </summary>
    public async Task<(WhackTraffic A, WhackTraffic B)> BringUpAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var initiate = await Task.Run(() => LibreswanLab.TryWhack(ControlA, ["--name", ConnectionName, "--initiate"], UpLimit), cancellationToken);
        if (!initiate.Succeeded)
        {
            throw new InvalidOperationException($"whack --initiate exited {initiate.ExitCode}: {initiate.Stdout}{initiate.Stderr}\n{Logs()}");
        }

        var a = await WaitForChildAsync(ControlA, clock, cancellationToken);
        var b = await WaitForChildAsync(ControlB, clock, cancellationToken);
        UpTime = clock.Elapsed;
        return (a, b);
    }

    /// <summary>pluto's <c>whack --status</c> of one end, parsed.</summary>
    public static WhackStatus Status(string controlSocket) => WhackStatus.Parse(LibreswanLab.Whack(controlSocket, "--status"));

    /// <summary>Both plutos' output so far, for failure messages.</summary>
    public string Logs() => string.Join('\n', _plutos.Select(p => Tail(p.Combined)));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        var controls = new[] { ControlA, ControlB };
        await Task.WhenAll(_plutos.Select((pluto, i) => Task.Run(async () =>
        {
            try
            {
                if (!pluto.HasExited && File.Exists(controls[i]))
                {
                    LibreswanLab.TryWhack(controls[i], ["--shutdown"], TimeSpan.FromSeconds(20));
                    await pluto.WaitForExitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (TimeoutException)
            {
                // did not stop in time: Dispose kills it below
            }

            pluto.Dispose();
        })));
        Tool.TryRun("ip", ["-force", "-batch", "-"], $"netns del {NamespaceA}\nnetns del {NamespaceB}\n");
        Directory.Delete(_work, recursive: true);
    }

    // Three ip runs in all: process starts are what costs in User-Mode Linux.
    private void MakeHosts()
    {
        Tool.Run("ip", ["-batch", "-"],
            $"netns add {NamespaceA}\nnetns add {NamespaceB}\nlink add veth-a netns {NamespaceA} type veth peer name veth-b netns {NamespaceB}\n");
        foreach (var (ns, dev, address) in new[] { (NamespaceA, "veth-a", AddressA), (NamespaceB, "veth-b", AddressB) })
        {
            Tool.Run("ip", ["-n", ns, "-batch", "-"], $"link set lo up\naddr add {address}/24 dev {dev}\nlink set {dev} up\n");
        }
    }

    // Loaded = pluto lists the connection with its authentication and listens for IKE on the veth address.
    private async Task WaitForLoadedAsync(string control, ChildProcess pluto, string dev, string address, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var listening = $"interface {dev} UDP {address}:500";
        while (true)
        {
            if (File.Exists(control))
            {
                var status = await Task.Run(() => LibreswanLab.TryWhack(control, ["--status"]), cancellationToken);
                if (status.Succeeded && status.Stdout.Contains(listening, StringComparison.Ordinal)
                    && WhackStatus.Parse(status.Stdout).Connection(ConnectionName) is { TheirAuth: not null })
                {
                    return;
                }
            }

            if (pluto.HasExited)
            {
                throw new InvalidOperationException($"pluto ({control}) exited before loading \"{ConnectionName}\".\n{Tail(pluto.Combined)}");
            }

            if (clock.Elapsed > StartLimit)
            {
                throw new TimeoutException($"pluto ({control}) did not list \"{ConnectionName}\" and {listening} within {StartLimit.TotalSeconds} s.\n{Tail(pluto.Combined)}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task<WhackTraffic> WaitForChildAsync(string control, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (true)
        {
            var traffic = await Task.Run(() => LibreswanLab.TryWhack(control, ["--trafficstatus"]), cancellationToken);
            if (traffic.Succeeded && WhackStatus.ParseTraffic(traffic.Stdout).FirstOrDefault(t => t.Connection == ConnectionName) is { } line)
            {
                return line;
            }

            if (clock.Elapsed > UpLimit)
            {
                throw new TimeoutException($"pluto ({control}) listed no child SA of \"{ConnectionName}\" within {UpLimit.TotalSeconds} s.\n{Logs()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));
}
