using System.Security.Cryptography;
using Xunit;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Says whether this kernel can carry real ESP. The host kernel of our machines has XFRM but no ESP; the User-Mode Linux
/// guest started by tests/lab/uml/run.sh has it and sets CBB_LAB=uml. Inside that guest a missing ESP is a failure, not a
/// skip: CI runs the lab there so that nothing real is skipped.
/// </summary>
internal static class LabEnvironment
{
    /// <summary>The skip reason of every lab test on a kernel without ESP.</summary>
    public const string SkipReason = "needs a kernel with ESP: run tests/lab/uml/run.sh (CI does)";

    private static readonly Lazy<string?> Missing = new(ProbeEsp);

    /// <summary>True inside the guest started by tests/lab/uml/run.sh.</summary>
    public static bool InUml => Environment.GetEnvironmentVariable("CBB_LAB") == "uml";

    /// <summary>Skips the calling test unless ESP works here; fails it when the lab guest lacks ESP.</summary>
    public static void RequireEsp()
    {
        var missing = Missing.Value;
        if (missing is null)
        {
            return;
        }

        if (InUml)
        {
            Assert.Fail($"CBB_LAB=uml but this kernel cannot carry ESP: {missing}");
        }

        Assert.Skip($"{SkipReason} ({missing})");
    }

    // Adds one AES-GCM ESP SA in a throwaway namespace: the only honest test of "ESP works" is that the kernel accepts one.
    private static string? ProbeEsp()
    {
        try
        {
            return TryAddEspSa();
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }

    private static string? TryAddEspSa()
    {
        if (Environment.UserName != "root")
        {
            return "not root";
        }

        var ns = "cbbprobe-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var (code, _, stderr) = Tool.TryRun("ip", ["netns", "add", ns]);
        if (code != 0)
        {
            return "ip netns add failed: " + stderr.Trim();
        }

        try
        {
            var key = new string('0', 40);
            (code, _, stderr) = Tool.TryRun("ip", ["-n", ns, "-batch", "-"],
                $"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode transport aead rfc4106(gcm(aes)) 0x{key} 128\n");
            return code == 0 ? null : "ip xfrm state add proto esp: " + stderr.Trim();
        }
        finally
        {
            Tool.TryRun("ip", ["netns", "del", ns]);
        }
    }
}
