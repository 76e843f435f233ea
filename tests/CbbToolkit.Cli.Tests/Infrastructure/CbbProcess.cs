namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>
/// Runs cbb as a child process (<see cref="ChildProcess"/>): the built cbb.dll with the dotnet host, or, when
/// <c>CBB_EXECUTABLE</c> names one, the NativeAOT binary (<c>./run build</c> publishes it to artifacts/native/cbb), so
/// the same tests check both builds.
/// </summary>
internal static class CbbProcess
{
    private static readonly Lazy<string> s_dll = new(FindDll);
    private static readonly Lazy<string?> s_native = new(FindNative);

    /// <summary>The built cbb.dll (the test project references src/Cli, so the build copies it next to the tests).</summary>
    public static string Dll => s_dll.Value;

    /// <summary>The file that runs: the native binary under <c>CBB_EXECUTABLE</c>, else <see cref="Dll"/>.</summary>
    public static string Program => s_native.Value ?? Dll;

    /// <summary>The whole command line of <c>cbb ARGS</c>: program first, for wrappers such as setpriv or ip netns exec.</summary>
    public static string[] CommandLine(params string[] arguments) =>
        s_native.Value is { } native ? [native, .. arguments] : [DotnetHost.Path, Dll, .. arguments];

    /// <summary>Starts <c>cbb ARGS</c>.</summary>
    public static ChildProcess Start(params string[] arguments)
    {
        var commandLine = CommandLine(arguments);
        return ChildProcess.Start(commandLine[0], commandLine[1..]);
    }

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

    private static string? FindNative()
    {
        var native = Environment.GetEnvironmentVariable("CBB_EXECUTABLE");
        if (string.IsNullOrEmpty(native))
        {
            return null;
        }

        return File.Exists(native) ? Path.GetFullPath(native) : throw new FileNotFoundException($"CBB_EXECUTABLE points to {native}, which does not exist.");
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
