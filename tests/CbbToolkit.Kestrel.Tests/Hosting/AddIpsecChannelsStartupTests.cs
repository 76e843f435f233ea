using System.Diagnostics;
using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Hosting;

public sealed class AddIpsecChannelsStartupTests
{
    [Fact]
    public async Task WithoutNetAdmin_StartupFailsNamingTheCapability()
    {
        Root.Require("Dropping CAP_NET_ADMIN from a child process with setpriv");
        var info = new ProcessStartInfo("setpriv", ["--inh-caps=-net_admin", "--bounding-set=-net_admin", "--",
            Environment.ProcessPath!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(StartupProbe).Assembly.Location);
        }

        info.Environment[StartupProbe.Variable] = "1";
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}: {output} {error}");
        Assert.Contains("FAILED: AddIpsecChannels: the kernel's IPsec state cannot be read", output, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_ADMIN", output, StringComparison.Ordinal);
    }
}
