using System.Xml.Linq;
using CbbToolkit.Architecture.Tests.Rules;

namespace CbbToolkit.Architecture.Tests.Reading;

/// <summary>
/// The repository's project files: where they are, the assembly each builds, and the projects each references. The
/// project graph also catches a reference that the compiler drops from the assembly because nothing uses it yet.
/// </summary>
internal static class ProjectFiles
{
    /// <summary>The repository root: the nearest directory above the test's output that holds CbbToolkit.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The project files under <paramref name="folder"/> (relative to the root), build output excluded.</summary>
    public static IReadOnlyList<string> Under(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(RepositoryRoot, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The assembly a project builds: its AssemblyName, else the file name.</summary>
    public static string AssemblyName(string project) =>
        XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault()
            ?? Path.GetFileNameWithoutExtension(project);

    /// <summary>One edge per ProjectReference, from assembly name to assembly name.</summary>
    public static IReadOnlyList<Dependency> References(string project)
    {
        var from = AssemblyName(project);
        var directory = Path.GetDirectoryName(project)!;
        return
        [
            .. XDocument.Load(project).Descendants("ProjectReference")
                .Select(e => Path.GetFullPath(Path.Combine(directory, e.Attribute("Include")!.Value)))
                .Select(referenced => new Dependency(from, AssemblyName(referenced), Path.GetRelativePath(RepositoryRoot, project))),
        ];
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no CbbToolkit.sln above {AppContext.BaseDirectory}");
    }
}
