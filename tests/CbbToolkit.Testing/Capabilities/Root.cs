using System.Runtime.InteropServices;

namespace CbbToolkit.Testing.Capabilities;

/// <summary>The one root check of the test suites (effective uid 0: network namespaces, XFRM netlink, charon).</summary>
public static partial class Root
{
    /// <summary>True when the test process runs with effective uid 0.</summary>
    public static bool IsRoot => GetEffectiveUserId() == 0;

    /// <summary>Skips the test with <see cref="SkipCategory.NeedsRoot"/> unless it runs as root.</summary>
    /// <param name="what">What needs root, e.g. "Creating network namespaces".</param>
    public static void Require(string what) => Skip.Unless(IsRoot, SkipCategory.NeedsRoot, $"{what} needs root.");

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
