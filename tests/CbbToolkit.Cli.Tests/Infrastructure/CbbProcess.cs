namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>Runs the built cbb.dll with the dotnet host, as a child process (<see cref="ChildProcess"/>).</summary>
internal static class CbbProcess
{
    private static readonly Lazy<string> s_dll = new(FindDll);

    /// <summary>The built cbb.dll (the test project references src/Cli, so the build copies it next to the tests).</summary>
    public static string Dll => s_dll.Value;

    /// <summary>Starts <c>dotnet cbb.dll ARGS</c>.</summary>
    public static ChildProcess Start(params string[] arguments) => ChildProcess.Start(DotnetHost.Path, [Dll, .. arguments]);

    /// <summary>Runs <c>cbb ARGS</c> to completion; returns the exit code and the finished process for its output.</summary>
    public static async Task<(int ExitCode, ChildProcess Process)> RunAsync(params string[] arguments)
    {
        var process = Start(arguments);
        try
        {
            return (await process.WaitForExitAsync(), process);
        }
        catch
        {
            process.Dispose(); // Kills it: a test that gives up leaves nothing running.
            throw;
        }
    }

    private static string FindDll()
    {
        var overridden = Environment.GetEnvironmentVariable("CBB_DLL");
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden) ? overridden : throw new FileNotFoundException($"CBB_DLL points to {overridden}, which does not exist.");
        }

        var local = Path.Combine(AppContext.BaseDirectory, "cbb.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "cbb.runtimeconfig.json")))
        {
            return local;
        }

        // Fall back to src/Cli's own output for the configuration the tests were built in.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                var built = Path.Combine(dir.FullName, "src", "Cli", "bin", configuration, "net10.0", "cbb.dll");
                if (File.Exists(built))
                {
                    return built;
                }
            }
        }

        throw new FileNotFoundException($"cbb.dll is neither in {AppContext.BaseDirectory} nor in src/Cli/bin/{configuration}; build src/Cli first or set CBB_DLL.");
    }
}
