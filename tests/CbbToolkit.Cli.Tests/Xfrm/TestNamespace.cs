using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>
/// A network namespace one test creates (lo up) and deletes in Dispose, so kernel state never leaks between tests;
/// <see cref="Ip"/> runs iproute2 in it - the reference tool cbb's output is compared with.
/// </summary>
internal sealed class TestNamespace : IDisposable
{
    private TestNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates the namespace, or skips the test with the reason when this machine cannot.</summary>
    public static TestNamespace Create()
    {
        Root.Require("The kernel tests (network namespaces)");
        Tool.Require("ip", "iproute2");
        var ns = new TestNamespace("cbbc-" + Guid.NewGuid().ToString("N")[..8]);
        ToolRun.Run("ip", "netns", "add", ns.Name);
        try
        {
            ns.Ip("link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Runs <c>ip -n NAME ARGS</c> and returns its output; a non-zero exit fails the test.</summary>
    public string Ip(params string[] arguments) => ToolRun.Run("ip", ["-n", Name, .. arguments]);

    public void Dispose() => ToolRun.Try("ip", ["netns", "del", Name]);
}
