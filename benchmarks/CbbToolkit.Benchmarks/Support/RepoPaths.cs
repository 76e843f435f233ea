namespace CbbToolkit.Benchmarks.Support;

/// <summary>Paths in the repository, found from wherever BenchmarkDotNet runs the benchmark process.</summary>
internal static class RepoPaths
{
    /// <summary>The folder that holds CbbToolkit.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No CbbToolkit.sln above {AppContext.BaseDirectory}.");
    }
}
