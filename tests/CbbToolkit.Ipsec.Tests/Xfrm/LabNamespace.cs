using System.Diagnostics;
using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>
/// A network namespace a test creates (with lo up) and deletes in Dispose, so kernel state never leaks between tests.
/// <see cref="Ip"/> runs iproute2 inside it - the reference tool our results are compared with.
/// </summary>
internal sealed class LabNamespace : IDisposable
{
    private LabNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates the namespace, or skips the test with the reason when this machine cannot.</summary>
    public static LabNamespace Create()
    {
        Root.Require("Creating network namespaces");
        var name = "cbbt-" + Guid.NewGuid().ToString("N")[..8];
        Run("ip", $"netns add {name}");
        var ns = new LabNamespace(name);
        try
        {
            ns.Ip("link set lo up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Runs <c>ip ARGS</c> in the namespace and returns its standard output; a non-zero exit fails the test.</summary>
    public string Ip(string arguments) => Run("ip", $"netns exec {Name} ip {arguments}");

    /// <summary>Runs <c>ip ARGS</c> in the namespace and returns exit code and both outputs.</summary>
    public (int ExitCode, string Output, string Error) TryIp(string arguments) => TryRun("ip", $"netns exec {Name} ip {arguments}");

    public void Dispose() => TryRun("ip", $"netns del {Name}");

    public static string Run(string file, string arguments)
    {
        var (code, output, error) = TryRun(file, arguments);
        Assert.True(code == 0, $"{file} {arguments} exited {code}: {error}");
        return output;
    }

    public static (int ExitCode, string Output, string Error) TryRun(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in 20 s.");
        }

        return (p.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
