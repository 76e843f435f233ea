namespace CbbToolkit.Testing.Capabilities;

/// <summary>
/// Why a test may skip: the tag that starts every skip message (<c>[needs-esp] ...</c>, see <see cref="Skip"/>).
/// <c>./run test</c> reads the tags back from the TRX files (tests/skips/check-skips) and fails the run for a skip whose
/// tag the environment does not explain, e.g. any <see cref="NeedsEsp"/> inside User-Mode Linux.
/// </summary>
public static class SkipCategory
{
    /// <summary>The kernel cannot carry ESP (the host kernel of our machines); the test runs in User-Mode Linux.</summary>
    public const string NeedsEsp = "needs-esp";

    /// <summary>The test needs root (network namespaces, XFRM netlink, charon).</summary>
    public const string NeedsRoot = "needs-root";

    /// <summary>A program the test drives is not installed (./run installs them all, so under ./run this is a failure).</summary>
    public const string NeedsTool = "needs-tool";

    /// <summary>A device the test needs is absent (e.g. /dev/net/tun for strongSwan's kernel-libipsec).</summary>
    public const string NeedsDevice = "needs-device";

    /// <summary>/proc is not mounted (a bare container): no network namespaces, no XFRM statistics.</summary>
    public const string NeedsProcfs = "needs-procfs";

    /// <summary>This machine has no IPv6 loopback.</summary>
    public const string NeedsIpv6 = "needs-ipv6";

    /// <summary>The .NET runtime cannot do what the test needs (e.g. .NET 10 cannot load an Ed25519 server key).</summary>
    public const string RuntimeLimit = "runtime-limit";

    /// <summary>The build output is not readable by other users (a test that runs cbb as nobody).</summary>
    public const string PrivateBuild = "private-build";

    /// <summary>Every category, for tools that check skip messages.</summary>
    public static IReadOnlyList<string> All { get; } =
        [NeedsEsp, NeedsRoot, NeedsTool, NeedsDevice, NeedsProcfs, NeedsIpv6, RuntimeLimit, PrivateBuild];
}
