using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Tests.Hosting;

/// <summary>
/// The child side of <see cref="AddIpsecChannelsStartupTests"/>: when this test executable is started with
/// <see cref="Variable"/> set (by the parent, under setpriv without CAP_NET_ADMIN), it starts a host with AddIpsecChannels
/// instead of running tests, prints what start-up threw, and exits (0 = it failed with InvalidOperationException).
/// Credentials are per thread and the cache reads the kernel from pool threads, so only a whole process can drop the
/// capability for this.
/// </summary>
internal static class StartupProbe
{
    public const string Variable = "CBB_KESTREL_STARTUP_PROBE";

    [ModuleInitializer]
    internal static void RunIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            return;
        }

        Environment.Exit(Probe());
    }

    // Synchronous, without lambdas: while this module initializer runs, other threads cannot call into this assembly.
    private static int Probe()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddIpsecChannels();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        using var app = builder.Build();
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
            Console.WriteLine("STARTED");
            app.StopAsync().GetAwaiter().GetResult();
            return 2;
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine("FAILED: " + e.Message);
            return 0;
        }
    }
}
