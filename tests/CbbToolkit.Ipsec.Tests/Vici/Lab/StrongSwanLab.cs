using System.Diagnostics;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Ipsec.Tests.Vici.Lab;

/// <summary>
/// Two real charons (peers a and b) in two network namespaces joined by veth, set up with the project's lab scripts
/// (tests/lab/strongswan): raw ECDSA keys made by openssl, ids a.test and b.test, connection and child "lab".
/// Dispose stops both charons (SIGTERM, then SIGKILL) and deletes the namespaces and files.
/// </summary>
internal sealed class StrongSwanLab : IDisposable
{
    public const string Charon = "/usr/lib/ipsec/charon";

    private StrongSwanLab(string work, string id, string kernel, string mode, string auth)
    {
        Work = work;
        Kernel = kernel;
        Mode = mode;
        Auth = auth;
        A = new Peer("a", Path.Combine(work, "a"), $"cbbv{id}a", "192.0.2.1", "10.1.0.1", "a.test");
        B = new Peer("b", Path.Combine(work, "b"), $"cbbv{id}b", "192.0.2.2", "10.2.0.1", "b.test");
    }

    public static string Scripts { get; } = FindScripts();

    public string Work { get; }

    public string Kernel { get; }

    public string Mode { get; }

    /// <summary>pubkey (raw keys) or x509 (pinned self-signed certificates).</summary>
    public string Auth { get; }

    public Peer A { get; }

    public Peer B { get; }

    /// <summary>Why the lab cannot run here, or null.</summary>
    public static string? Unavailable()
    {
        if (Environment.UserName != "root")
        {
            return "The strongSwan lab needs root (network namespaces, charon).";
        }

        foreach (var tool in new[] { Charon, "swanctl", "ip", "openssl", "unshare" })
        {
            if (!Tool.Exists(tool))
            {
                return $"The strongSwan lab needs {tool} (apt-get install strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins).";
            }
        }

        if (!Directory.Exists(Scripts))
        {
            return "The lab scripts (tests/lab/strongswan) are not above the test binaries.";
        }

        return File.Exists("/dev/net/tun") ? null : "kernel-libipsec needs /dev/net/tun.";
    }

    /// <summary>Generates both peers, creates the namespaces, starts both charons and loads their configs.</summary>
    public static StrongSwanLab Start(string kernel = "libipsec", string mode = "tunnel", string auth = "pubkey")
    {
        var work = Directory.CreateTempSubdirectory("cbbv").FullName;
        var lab = new StrongSwanLab(work, Guid.NewGuid().ToString("N")[..6], kernel, mode, auth);
        try
        {
            Script("gen-key.sh", $"{Path.Combine(work, "a")} {lab.A.Id}");
            Script("gen-key.sh", $"{Path.Combine(work, "b")} {lab.B.Id}");
            lab.Generate(lab.A, lab.B);
            lab.Generate(lab.B, lab.A);
            Script("netns-pair.sh", $"up {lab.A.Namespace} {lab.B.Namespace} {lab.A.Address}/24 {lab.B.Address}/24 {lab.A.Inner}/32 {lab.B.Inner}/32");
            lab.StartCharon(lab.A);
            lab.StartCharon(lab.B);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Starts (or restarts) a peer's charon, waits until it answers on VICI and loads its swanctl config.</summary>
    public void StartCharon(Peer peer)
    {
        var info = new ProcessStartInfo(Path.Combine(Scripts, "run-charon.sh"), $"{peer.Dir} {peer.Namespace}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var started = Stopwatch.StartNew();
        peer.Charon = Process.Start(info) ?? throw new InvalidOperationException("cannot start charon");
        peer.Charon.OutputDataReceived += (_, _) => { };
        peer.Charon.ErrorDataReceived += (_, _) => { };
        peer.Charon.BeginOutputReadLine();
        peer.Charon.BeginErrorReadLine();
        Script("wait-vici.sh", $"{peer.Dir} 15");
        peer.StartTime = started.Elapsed;
        Swanctl(peer, "--load-all");
    }

    /// <summary>Stops a peer's charon: SIGTERM (charon then deletes its SAs), SIGKILL after 5 s.</summary>
    public static void StopCharon(Peer peer)
    {
        var charon = peer.Charon;
        if (charon is null)
        {
            return;
        }

        peer.Charon = null;
        if (!charon.HasExited)
        {
            try
            {
                Tool.RunLine("kill", $"-TERM {charon.Id}", TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException)
            {
                // it exited meanwhile
            }

            if (!charon.WaitForExit(5_000))
            {
                charon.Kill();
                charon.WaitForExit(5_000);
            }
        }

        charon.Dispose();
    }

    /// <summary>swanctl against a peer's charon; returns its standard output.</summary>
    public static string Swanctl(Peer peer, string arguments) =>
        Tool.RunLine(Path.Combine(Scripts, "swanctl.sh"), $"{peer.Dir} {arguments}");

    public void Dispose()
    {
        Parallel.Invoke(() => StopCharon(A), () => StopCharon(B));
        try
        {
            Script("netns-pair.sh", $"down {A.Namespace} {B.Namespace}");
        }
        finally
        {
            Directory.Delete(Work, recursive: true);
        }
    }

    private void Generate(Peer self, Peer other)
    {
        bool tunnel = Mode == "tunnel";
        Script("gen-peer.sh", string.Join(' ',
            "--dir", self.Dir, "--local-addr", self.Address, "--remote-addr", other.Address,
            "--local-id", self.Id, "--remote-id", other.Id,
            "--key", Path.Combine(Work, self.Name + ".key"), "--peer-pub", Path.Combine(Work, other.Name + ".pub"),
            "--auth", Auth, "--cert", Path.Combine(Work, self.Name + ".crt"), "--peer-cert", Path.Combine(Work, other.Name + ".crt"),
            "--mode", Mode, "--kernel", Kernel,
            "--local-ts", (tunnel ? self.Inner : self.Address) + "/32", "--remote-ts", (tunnel ? other.Inner : other.Address) + "/32"));
    }

    private static string Script(string name, string arguments) => Tool.RunLine(Path.Combine(Scripts, name), arguments);

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

    /// <summary>One charon: its folder, namespace, addresses, identity, and process.</summary>
    internal sealed class Peer(string name, string dir, string ns, string address, string inner, string id)
    {
        public string Name { get; } = name;

        public string Dir { get; } = dir;

        public string Namespace { get; } = ns;

        public string Address { get; } = address;

        /// <summary>The tunnel-mode inner address (on lo).</summary>
        public string Inner { get; } = inner;

        public string Id { get; } = id;

        public string Uri => "unix://" + Path.Combine(Dir, "charon.vici");

        /// <summary>The peer's public key file (PEM SubjectPublicKeyInfo) made by openssl.</summary>
        public string PublicKeyPem => Path.Combine(Path.GetDirectoryName(Dir)!, Name + ".pub");

        /// <summary>The peer's self-signed certificate (PEM) made by openssl.</summary>
        public string CertificatePem => Path.Combine(Path.GetDirectoryName(Dir)!, Name + ".crt");

        public Process? Charon { get; set; }

        public TimeSpan StartTime { get; set; }
    }
}
