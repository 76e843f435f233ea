namespace CbbToolkit.Testing.Processes;

/// <summary>The dotnet host, for tests that run a built .NET program (cbb.dll) as a child process.</summary>
public static class DotnetHost
{
    private static readonly Lazy<string> s_path = new(Find);

    /// <summary>The dotnet executable: DOTNET_HOST_PATH, the host running the tests, DOTNET_ROOT, PATH, the usual places.</summary>
    /// <exception cref="FileNotFoundException">No dotnet host anywhere.</exception>
    public static string Path => s_path.Value;

    private static string Find()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            System.IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath : null,
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? System.IO.Path.Combine(root, "dotnet") : null,
            Tool.Find("dotnet"),
            "/usr/share/dotnet/dotnet",
            "/usr/lib/dotnet/dotnet",
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "dotnet"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("Cannot find the dotnet host; set DOTNET_HOST_PATH or DOTNET_ROOT.");
    }
}
