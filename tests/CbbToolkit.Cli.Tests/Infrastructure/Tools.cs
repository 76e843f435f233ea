namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>Finds the programs the tests run: dotnet with the built cbb.dll (openssl: CbbToolkit.Testing.OpenSsl).</summary>
internal static class Tools
{
    private static readonly Lazy<string> s_dotnet = new(FindDotnet);
    private static readonly Lazy<string> s_cbb = new(FindCbb);

    /// <summary>The dotnet host that runs cbb.dll.</summary>
    public static string Dotnet => s_dotnet.Value;

    /// <summary>The built cbb.dll (the test project references src/Cli, so the build copies it next to the tests).</summary>
    public static string CbbDll => s_cbb.Value;

    /// <summary>Starts <c>dotnet cbb.dll ARGS</c>.</summary>
    public static ChildProcess StartCbb(params string[] arguments) => ChildProcess.Start(Dotnet, [CbbDll, .. arguments]);

    /// <summary>Runs <c>cbb ARGS</c> to completion; returns the exit code and the finished process for its output.</summary>
    public static async Task<(int ExitCode, ChildProcess Process)> RunCbbAsync(params string[] arguments)
    {
        var process = StartCbb(arguments);
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

    private static string FindCbb()
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

    private static string FindDotnet()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath : null,
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, "dotnet") : null,
            FindOnPath("dotnet"),
            "/usr/share/dotnet/dotnet",
            "/usr/lib/dotnet/dotnet",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "dotnet"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("Cannot find the dotnet host; set DOTNET_HOST_PATH or DOTNET_ROOT.");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
