using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// Where the lab's libreswan lives: the tree tests/lab/libreswan/unpack.sh unpacks (never installed: it would remove
/// strongSwan), the lab scripts above the test binaries, and how to run its whack against one pluto's control socket.
/// </summary>
public static class LibreswanLab
{
    /// <summary>The unpacked tree: CBB_LIBRESWAN_ROOT, else unpack.sh's default /var/cache/cbb/libreswan/root.</summary>
    public static string Root { get; } =
        Environment.GetEnvironmentVariable("CBB_LIBRESWAN_ROOT") is { Length: > 0 } root ? root : "/var/cache/cbb/libreswan/root";

    /// <summary>The lab scripts folder (tests/lab/libreswan above the test binaries).</summary>
    public static string Scripts { get; } = FindScripts();

    /// <summary>The unpacked whack (pluto's control client).</summary>
    public static string WhackPath => Path.Combine(Root, "usr/libexec/ipsec/whack");

    /// <summary>Why pluto cannot run here, or null.</summary>
    public static string? Unavailable() =>
        !File.Exists(Path.Combine(Scripts, "run-pluto.sh")) ? "the lab scripts (tests/lab/libreswan) are not above the test binaries"
        : !File.Exists(Path.Combine(Root, "usr/libexec/ipsec/pluto")) ? $"no libreswan in {Root} (run tests/lab/libreswan/unpack.sh; ./run test does)"
        : null;

    /// <summary>
    /// Skips the calling test when libreswan is not unpacked here; inside the lab guest (CBB_LAB=uml) that fails it
    /// instead, since ./run unpacks it before every guest run.
    /// </summary>
    public static void Require()
    {
        var why = Unavailable();
        if (why is null)
        {
            return;
        }

        if (LabGuest.IsActive)
        {
            Assert.Fail("CBB_LAB=uml but " + why);
        }

        Skip.Because(SkipCategory.NeedsTool, why);
    }

    /// <summary>Runs whack against the pluto whose control socket is <paramref name="controlSocket"/>; returns how it ended.</summary>
    public static ProcessResult TryWhack(string controlSocket, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        Tool.TryRun(WhackPath, ["--ctlsocket", controlSocket, .. arguments], environment: LibraryPath, timeout: timeout);

    /// <summary>Runs whack and returns its output; throws unless it exits 0.</summary>
    public static string Whack(string controlSocket, params string[] arguments) =>
        Tool.Run(WhackPath, ["--ctlsocket", controlSocket, .. arguments], environment: LibraryPath);

    /// <summary>Runs one of the lab scripts (gen-peer.sh, ...) and returns its output.</summary>
    public static string Script(string name, params string[] arguments) => Tool.Run(Path.Combine(Scripts, name), arguments);

    private static Dictionary<string, string> LibraryPath => new(StringComparer.Ordinal)
    {
        ["LD_LIBRARY_PATH"] = Path.Combine(Root, "usr/lib/x86_64-linux-gnu"),
    };

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "lab", "libreswan");
            if (File.Exists(Path.Combine(candidate, "run-pluto.sh")))
            {
                return candidate;
            }
        }

        return "/nonexistent/tests/lab/libreswan";
    }
}
