using CbbToolkit.Architecture.Tests.Fixtures.Source;
using CbbToolkit.Architecture.Tests.Reading;
using Xunit;

namespace CbbToolkit.Architecture.Tests;

/// <summary>The reader sees every kind of use; a rule over a graph with missing edges would pass for nothing.</summary>
public sealed class MetadataReaderTests
{
    private const string Fixtures = "CbbToolkit.Architecture.Tests.Fixtures";

    public static TheoryData<string> Kinds() =>
    [
        "ByBase", "ByInterface", "ByField", "ByParameter", "ByGenericArgument", "ByConstraint", "ByAttributes",
        "ByNew", "ByCall", "ByCast", "ByStaticField", "ByTypeof", "ByCatch", "ByClosure", "ByAsync",
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindOfUse_IsAnEdge(string kind)
    {
        var edges = MetadataDependencies.ReadNamespaceDependencies(typeof(ReaderFixture).Assembly.Location, (ns, _) => ns);

        var edge = Assert.Single(edges, e => e.From == $"{Fixtures}.Source" && e.To == $"{Fixtures}.Targets.{kind}");
        Assert.StartsWith($"{Fixtures}.Source.ReaderFixture", edge.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void NamespacesNobodyUses_AreNoEdge()
    {
        var edges = MetadataDependencies.ReadNamespaceDependencies(typeof(ReaderFixture).Assembly.Location, (ns, _) => ns);

        Assert.DoesNotContain(edges, e => e.From.StartsWith($"{Fixtures}.Targets", StringComparison.Ordinal) && e.To == $"{Fixtures}.Source");
    }

    [Fact]
    public void AssemblyReferences_OfChannels_NameIpsec()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "CbbToolkit.Channels.dll");

        var references = MetadataDependencies.ReadAssemblyReferences(path);

        Assert.Contains(references, r => r.From == "CbbToolkit.Channels" && r.To == "CbbToolkit.Ipsec");
    }
}
