using System.Diagnostics;
using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>A network namespace created for one test (root only) and deleted with it; `ip` runs inside it.</summary>
internal sealed class ScratchNamespace : IDisposable
{
    private ScratchNamespace(string name) => Name = name;

    public string Name { get; }

    public static ScratchNamespace Create()
    {
        Root.Require("Network namespaces and XFRM netlink (CAP_NET_ADMIN, CAP_SYS_ADMIN)");
        Skip.Unless(File.Exists("/proc/net/xfrm_stat") || Directory.Exists("/proc/sys/net/core"), SkipCategory.NeedsDevice, "No procfs to tell whether XFRM exists.");
        var ns = new ScratchNamespace("cbbr" + Guid.NewGuid().ToString("N")[..8]);
        Run("ip", $"netns add {ns.Name}");
        ns.Ip("link set lo up");
        return ns;
    }

    /// <summary>Runs `ip -n NS ...` and returns its output.</summary>
    public string Ip(string arguments) => Run("ip", $"-n {Name} {arguments}");

    public void Dispose() => Run("ip", $"netns del {Name}");

    private static string Run(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            Assert.Fail($"{file} {arguments}: no exit within 10 s");
        }

        Assert.True(p.ExitCode == 0, $"{file} {arguments}: exit {p.ExitCode}: {error.Result}");
        return output.Result;
    }
}
