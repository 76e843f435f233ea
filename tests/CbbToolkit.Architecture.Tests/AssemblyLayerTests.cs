using CbbToolkit.Architecture.Tests.Reading;
using CbbToolkit.Architecture.Tests.Rules;
using Xunit;

namespace CbbToolkit.Architecture.Tests;

/// <summary>docs/design.md "Layers": which assembly of src/ (and sample, benchmark) may reference which.</summary>
public sealed class AssemblyLayerTests
{
    public static TheoryData<string> SourceProjects() => [.. ProjectFiles.Under("src").Select(p => Path.GetRelativePath(ProjectFiles.RepositoryRoot, p))];

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void BuiltAssembly_ReferencesOnlyWhatItsLayerMay(string project)
    {
        var assembly = ProjectFiles.AssemblyName(Path.Combine(ProjectFiles.RepositoryRoot, project));
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        Assert.True(File.Exists(path), $"{assembly}.dll is not next to the tests: add a ProjectReference to {project} in CbbToolkit.Architecture.Tests.csproj");

        var violations = ToolkitLayers.Assemblies().Check(MetadataDependencies.ReadAssemblyReferences(path));

        Violations.AssertNone(violations);
    }

    [Fact]
    public void ProjectFiles_ReferenceOnlyWhatTheirLayerMay()
    {
        var projects = new[] { "src", "samples", "benchmarks" }.SelectMany(ProjectFiles.Under).ToList();
        Assert.NotEmpty(projects);

        // Every project is governed here: a reference to tests/PinStoreWriter is as wrong as one to a CbbToolkit.* test.
        var violations = ToolkitLayers.Assemblies(isGoverned: _ => true).Check(projects.SelectMany(ProjectFiles.References));

        Violations.AssertNone(violations);
    }

    [Fact]
    public void EveryAssemblyOfSrc_IsInTheTable()
    {
        var rules = ToolkitLayers.Assemblies();

        foreach (var project in ProjectFiles.Under("src"))
        {
            Assert.Contains(ProjectFiles.AssemblyName(project), rules.Nodes);
        }
    }
}
