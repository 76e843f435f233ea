using System.Security.Cryptography;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Capabilities;

/// <summary>
/// Whether this kernel can carry real ESP. The host kernel of our machines has XFRM but no ESP; the User-Mode Linux
/// guest of tests/lab/uml/run.sh has it. Inside that guest a missing ESP is a failure, not a skip, so that CI runs every
/// ESP test for real.
/// </summary>
public static class Esp
{
    private static readonly Lazy<string?> s_missing = new(Probe);

    /// <summary>Why this kernel cannot carry ESP, or null when it can (one AES-GCM SA added in a throwaway namespace).</summary>
    public static string? Missing => s_missing.Value;

    /// <summary>Skips the calling test unless ESP works here; fails it inside the lab guest.</summary>
    /// <param name="howToRun">Where the test runs for real, e.g. "tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests".</param>
    public static void Require(string howToRun = "tests/lab/uml/run.sh")
    {
        if (Missing is { } missing)
        {
            Unavailable(missing, howToRun);
        }
    }

    /// <summary>
    /// Ends the calling test because the kernel refused ESP (<paramref name="detail"/>, e.g. what <c>ip xfrm state add</c>
    /// said): a <see cref="SkipCategory.NeedsEsp"/> skip on the host, a failure inside the lab guest.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Unavailable(string detail, string howToRun = "tests/lab/uml/run.sh")
    {
        var why = $"needs a kernel with ESP: run {howToRun} (CI does) ({detail})";
        if (LabGuest.IsActive)
        {
            Xunit.Assert.Fail("CBB_LAB=uml but this kernel cannot carry ESP: " + why);
        }

        Skip.Because(SkipCategory.NeedsEsp, why);
    }

    // The only honest test of "ESP works" is that the kernel accepts an ESP SA.
    private static string? Probe()
    {
        try
        {
            if (!Root.IsRoot)
            {
                return "not root, cannot probe";
            }

            var ns = "cbbprobe-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
            var add = Tool.TryRun("ip", ["netns", "add", ns]);
            if (!add.Succeeded)
            {
                return "ip netns add failed: " + add.Stderr.Trim();
            }

            try
            {
                var key = new string('0', 40);
                var sa = Tool.TryRun("ip", ["-n", ns, "-batch", "-"],
                    $"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode transport aead rfc4106(gcm(aes)) 0x{key} 128\n");
                return sa.Succeeded ? null : "ip xfrm state add proto esp: " + sa.Stderr.Trim();
            }
            finally
            {
                Tool.TryRun("ip", ["netns", "del", ns]);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return e.Message;
        }
    }
}
