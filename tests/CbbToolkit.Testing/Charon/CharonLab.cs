using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Charon;

/// <summary>
/// Where the strongSwan lab's parts are (charon, swanctl, the scripts of tests/lab/strongswan) and whether a test can run
/// charons here. <see cref="CharonPair"/> is the one harness every charon test uses.
/// </summary>
public static class CharonLab
{
    /// <summary>The charon daemon of Debian's strongswan-charon.</summary>
    public const string CharonPath = "/usr/lib/ipsec/charon";

    private const string Packages =
        "apt-get install strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins openssl iproute2";

    /// <summary>The lab scripts folder (tests/lab/strongswan, found above the test binaries).</summary>
    public static string Scripts { get; } = FindScripts();

    /// <summary>The path of one lab script, e.g. "gen-peer.sh".</summary>
    public static string Script(string name) => Path.Combine(Scripts, name);

    /// <summary>Why charons cannot run here (a program, the scripts or, for kernel-libipsec, /dev/net/tun missing), or null.</summary>
    public static string? Unavailable(CharonKernel kernel = CharonKernel.Netlink) => Missing(kernel)?.Text;

    /// <summary>
    /// Skips the calling test unless charons can run here: not root is a <see cref="SkipCategory.NeedsRoot"/> skip, a missing
    /// program a <see cref="SkipCategory.NeedsTool"/> one, a missing /dev/net/tun a <see cref="SkipCategory.NeedsDevice"/>
    /// one; inside the lab guest (everything installed) anything missing fails the test.
    /// </summary>
    /// <param name="kernel">kernel-libipsec needs /dev/net/tun as well.</param>
    public static void Require(CharonKernel kernel = CharonKernel.Netlink)
    {
        if (LabGuest.IsActive && !Root.IsRoot)
        {
            Xunit.Assert.Fail("CBB_LAB=uml but the tests do not run as root");
        }

        Root.Require("The strongSwan lab (network namespaces, charon)");
        if (Missing(kernel) is { } missing)
        {
            if (LabGuest.IsActive)
            {
                Xunit.Assert.Fail("CBB_LAB=uml but " + missing.Text);
            }

            Skip.Because(missing.Category, missing.Text);
        }
    }

    private static (string Category, string Text)? Missing(CharonKernel kernel)
    {
        foreach (var tool in new[] { CharonPath, "swanctl", "ip", "openssl" })
        {
            if (!Tool.Exists(tool))
            {
                return (SkipCategory.NeedsTool, $"the strongSwan lab needs {tool} ({Packages})");
            }
        }

        if (!File.Exists(Script("run-charon.sh")))
        {
            return (SkipCategory.NeedsTool, "the lab scripts (tests/lab/strongswan) are not above the test binaries");
        }

        return kernel == CharonKernel.Libipsec && !File.Exists("/dev/net/tun")
            ? (SkipCategory.NeedsDevice, "strongSwan's kernel-libipsec needs /dev/net/tun")
            : null;
    }

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
