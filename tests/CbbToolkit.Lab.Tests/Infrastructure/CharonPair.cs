using System.Diagnostics;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using Xunit;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Two real strongSwan charons, one in each namespace of a <see cref="TwoHosts"/>, set up with the lab scripts
/// (tests/lab/strongswan: gen-key.sh, gen-peer.sh, run-charon.sh, swanctl.sh): raw ECDSA P-256 keys made by openssl, ids
/// a.test and b.test, connection and child "lab" in transport mode with kernel-netlink, <see cref="RequestId"/> on both
/// sides, <c>policies = no</c> (per-socket policies decide what is protected) and <c>start_action = trap</c> on A, so an
/// ACQUIRE for the reqid makes A negotiate (kernel-lab.md section 3). Traffic selectors: the host pair, TCP only.
/// One pair per test (about 1.3 s to start in User-Mode Linux), so no test inherits another's SAs or negotiations;
/// started by <see cref="StartAsync"/>, after the test's own skip checks. Dispose kills both charons and deletes the
/// namespaces and files.
/// </summary>
public sealed class CharonPair : IAsyncDisposable
{
    /// <summary>The reqid of the child SA on both sides, and of the sockets' policy templates.</summary>
    public const uint RequestId = 7;

    private const string Charon = "/usr/lib/ipsec/charon";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Process> _charons = [];
    private string? _work;
    private TwoHosts? _hosts;

    /// <summary>The namespaces (A: 10.99.0.1, B: 10.99.0.2).</summary>
    internal TwoHosts Hosts => _hosts ?? throw new InvalidOperationException("call StartAsync first");

    /// <summary>A's charon folder (the initiator, trap on reqid <see cref="RequestId"/>).</summary>
    public string DirA => Path.Combine(_work!, "a");

    /// <summary>B's charon folder (the responder).</summary>
    public string DirB => Path.Combine(_work!, "b");

    /// <summary>A's VICI socket.</summary>
    public string UriA => "unix://" + Path.Combine(DirA, "charon.vici");

    /// <summary>B's public key as DER SubjectPublicKeyInfo, converted by openssl from the PEM that B's charon signs with.</summary>
    public byte[] PublicKeyB { get; private set; } = [];

    /// <summary>How long the set-up took (keys, configs, namespaces, two charons up and loaded).</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>The lab scripts folder (tests/lab/strongswan above the test binaries).</summary>
    public static string Scripts { get; } = FindScripts();

    /// <summary>Why charons cannot run here, or null.</summary>
    public static string? Unavailable() =>
        !File.Exists(Charon) ? $"needs {Charon} (apt-get install strongswan-charon strongswan-swanctl libstrongswan-standard-plugins)"
        : !File.Exists(Path.Combine(Scripts, "run-charon.sh")) ? "the lab scripts (tests/lab/strongswan) are not above the test binaries"
        : null;

    /// <summary>Sets the pair up once; later calls return at once.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_hosts is not null)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            _work = Directory.CreateTempSubdirectory("cbb-e2e-").FullName;
            var hosts = new TwoHosts();
            _hosts = hosts;
            var a = hosts.A.Address4.ToString();
            var b = hosts.B.Address4.ToString();
            // Side by side where independent: process starts dominate the set-up in User-Mode Linux.
            Parallel.Invoke(() => Script("gen-key.sh", Path.Combine(_work, "a")), () => Script("gen-key.sh", Path.Combine(_work, "b")));
            Parallel.Invoke(
                () => Peer(DirA, a, b, "a.test", "b.test", "a", "b", "trap"),
                () => Peer(DirB, b, a, "b.test", "a.test", "b", "a", "none"));
            var der = Path.Combine(_work, "b.der");
            Tool.Run("openssl", ["pkey", "-pubin", "-in", Path.Combine(_work, "b.pub"), "-outform", "DER", "-out", der]);
            PublicKeyB = await File.ReadAllBytesAsync(der, cancellationToken);

            _charons.Add(StartCharon(DirA, hosts.A.Namespace));
            _charons.Add(StartCharon(DirB, hosts.B.Namespace));
            await Task.WhenAll(WaitForViciAsync(DirA, cancellationToken), WaitForViciAsync(DirB, cancellationToken));
            Parallel.Invoke(() => Swanctl(DirA, "--load-all"), () => Swanctl(DirB, "--load-all"));
            StartTime = clock.Elapsed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>swanctl against a peer's charon (its config folder and VICI socket); returns its output.</summary>
    public static string Swanctl(string dir, params string[] args) => Script("swanctl.sh", [dir, .. args]);

    /// <summary>The last lines of a charon's log, for failure messages.</summary>
    public static string LogTail(string dir, int lines = 40)
    {
        var path = Path.Combine(dir, "charon.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no charon.log)";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var charon in _charons)
        {
            try
            {
                if (!charon.HasExited)
                {
                    charon.Kill(); // the namespaces go below, and the SAs with them
                    using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await charon.WaitForExitAsync(limit.Token);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // exited meanwhile, or did not die in time: nothing more a test can do
            }

            charon.Dispose();
        }

        _hosts?.Dispose();
        if (_work is not null)
        {
            Directory.Delete(_work, recursive: true);
        }

        _gate.Dispose();
    }

    private static void Peer(string dir, string local, string remote, string localId, string remoteId, string self, string other, string start)
    {
        var work = Path.GetDirectoryName(dir)!;
        Script("gen-peer.sh", [
            "--dir", dir, "--local-addr", local, "--remote-addr", remote, "--local-id", localId, "--remote-id", remoteId,
            "--key", Path.Combine(work, self + ".key"), "--peer-pub", Path.Combine(work, other + ".pub"),
            "--mode", "transport", "--kernel", "netlink", "--reqid", RequestId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--policies", "no", "--start-action", start,
            "--local-ts", local + "/32[tcp]", "--remote-ts", remote + "/32[tcp]"]);
    }

    private static Process StartCharon(string dir, string ns)
    {
        var info = new ProcessStartInfo(Path.Combine(Scripts, "run-charon.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dir);
        info.ArgumentList.Add(ns);
        var charon = Process.Start(info) ?? throw new InvalidOperationException("cannot start charon");
        charon.OutputDataReceived += (_, _) => { };
        charon.ErrorDataReceived += (_, _) => { };
        charon.BeginOutputReadLine();
        charon.BeginErrorReadLine();
        return charon;
    }

    // Polls with our own VICI client: in UML every process start costs up to a second, so no swanctl loop.
    private static async Task WaitForViciAsync(string dir, CancellationToken cancellationToken)
    {
        var uri = "unix://" + Path.Combine(dir, "charon.vici");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var client = new ViciClient(uri);
                await client.GetVersionAsync(cancellationToken);
                return;
            }
            catch (IpsecException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IpsecException e)
            {
                throw new InvalidOperationException($"charon of {dir} did not answer on VICI within 30 s: {e.Message}\n{LogTail(dir)}", e);
            }
        }
    }

    private static string Script(string name, params string[] args) => Tool.Run(Path.Combine(Scripts, name), args);

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "lab", "strongswan");
            if (File.Exists(Path.Combine(candidate, "run-charon.sh")))
            {
                return candidate;
            }
        }

        return "/nonexistent/tests/lab/strongswan";
    }
}
