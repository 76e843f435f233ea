using System.Diagnostics;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>Where the real kernel dumps come from: the UML SA capture on disk, policies captured in a network namespace.</summary>
internal static class XfrmCaptures
{
    /// <summary>
    /// The SA dump benchmarks/capture/capture-sa-dump.sh made in User-Mode Linux (the host kernel has no ESP):
    /// $CBB_XFRM_SA_DUMP, else benchmarks/BenchmarkDotNet.Artifacts/xfrm/sa-dump.bin.
    /// </summary>
    public static string SaDumpPath =>
        Environment.GetEnvironmentVariable("CBB_XFRM_SA_DUMP") is { Length: > 0 } path
            ? path
            : RepoPaths.Combine("benchmarks", "BenchmarkDotNet.Artifacts", "xfrm", "sa-dump.bin");

    public static string Script(string name) => RepoPaths.Combine("benchmarks", "capture", name);

    /// <summary>Creates a network namespace holding the policies of xfrm-batch.py (via ip -batch).</summary>
    public static void CreatePolicyNamespace(string name, int count)
    {
        Command.Run("ip", ["netns", "add", name]);
        var batch = Command.Run("python3", [Script("xfrm-batch.py"), "policy", count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Command.Run("ip", ["-n", name, "-batch", "-"], TimeSpan.FromMinutes(5), standardInput: batch);
    }

    /// <summary>Captures the kernel's policy dump in the namespace with xfrm-dump.py (not the library's own netlink code).</summary>
    public static byte[][] CapturePolicyDump(string networkNamespace)
    {
        var file = Path.GetTempFileName();
        try
        {
            Command.Run("ip", ["netns", "exec", networkNamespace, "python3", Script("xfrm-dump.py"), "policy", file]);
            return NetlinkDump.ReadCapture(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs a tool and throws away what it prints (reading it, as a terminal or pipe would).</summary>
    public static long RunDiscardingOutput(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var buffer = new char[64 * 1024];
        long total = 0;
        int read;
        while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
        }

        process.WaitForExit();
        return process.ExitCode == 0 ? total : throw new InvalidOperationException($"{file} exited with {process.ExitCode}.");
    }
}
