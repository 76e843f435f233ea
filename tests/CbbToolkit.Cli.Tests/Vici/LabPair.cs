using CbbToolkit.Cli.Tests.Xfrm;
using Xunit;

namespace CbbToolkit.Cli.Tests.Vici;

/// <summary>
/// Two real charons (peers a and b, ids a.test and b.test) in two network namespaces, brought up and down by the
/// project's lab script tests/lab/strongswan/lab-pair.sh (tunnel mode over kernel-libipsec, so the child SA comes up on
/// a host kernel without ESP). Dispose stops both charons and deletes the namespaces and the work folder.
/// </summary>
internal sealed class LabPair : IDisposable
{
    private const string Charon = "/usr/lib/ipsec/charon";

    private readonly Dictionary<string, string> _environment;

    private LabPair(string work, string id)
    {
        Work = work;
        NamespaceA = $"cbbc{id}a";
        NamespaceB = $"cbbc{id}b";
        _environment = new Dictionary<string, string> { ["NS_A"] = NamespaceA, ["NS_B"] = NamespaceB };
    }

    public string Work { get; }

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    /// <summary>The VICI URI of peer "a" or "b".</summary>
    public string Uri(string peer) => "unix://" + Path.Combine(Work, peer, "charon.vici");

    /// <summary>Brings the pair up with peer a initiating the child SA, or skips the test with the reason it cannot run here.</summary>
    public static LabPair Start()
    {
        Assert.SkipUnless(Environment.UserName == "root", "The strongSwan lab needs root (network namespaces, charon).");
        foreach (var tool in new[] { Charon, "swanctl", "ip", "openssl" })
        {
            Assert.SkipUnless(Tool.Exists(tool),
                $"The strongSwan lab needs {tool} (apt-get install strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins openssl iproute2).");
        }

        Assert.SkipUnless(File.Exists("/dev/net/tun"), "The lab's kernel-libipsec needs /dev/net/tun.");
        Assert.SkipUnless(Directory.Exists(Scripts), "The lab scripts (tests/lab/strongswan) are not above the test binaries.");

        var lab = new LabPair(Directory.CreateTempSubdirectory("cbbc-vici").FullName, Guid.NewGuid().ToString("N")[..6]);
        try
        {
            var (code, stdout, stderr) = Tool.TryRun(Path.Combine(Scripts, "lab-pair.sh"), ["up", lab.Work], environment: lab._environment);
            Assert.True(code == 0, $"lab-pair.sh up exited {code}: {stderr}{stdout}");
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>swanctl against peer "a" or "b" (tests/lab/strongswan/swanctl.sh); returns its stdout.</summary>
    public string Swanctl(string peer, params string[] arguments) =>
        Tool.Run(Path.Combine(Scripts, "swanctl.sh"), [Path.Combine(Work, peer), .. arguments]);

    /// <summary>Sends a few UDP datagrams from a's inner address to b's through the tunnel, so the counters move.</summary>
    public void SendTraffic(int datagrams) =>
        Tool.Run("ip", "netns", "exec", NamespaceA, "bash", "-c", $"for i in $(seq {datagrams}); do echo cbb > /dev/udp/10.2.0.1/9; done");

    public void Dispose()
    {
        try
        {
            Tool.TryRun(Path.Combine(Scripts, "lab-pair.sh"), ["down", Work], environment: _environment);
        }
        finally
        {
            Directory.Delete(Work, recursive: true);
        }
    }

    private static string Scripts { get; } = FindScripts();

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "lab", "strongswan");
            if (File.Exists(Path.Combine(candidate, "lab-pair.sh")))
            {
                return candidate;
            }
        }

        return "/nonexistent/tests/lab/strongswan";
    }
}
