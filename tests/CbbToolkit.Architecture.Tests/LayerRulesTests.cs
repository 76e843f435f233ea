using CbbToolkit.Architecture.Tests.Reading;
using CbbToolkit.Architecture.Tests.Rules;
using Xunit;

namespace CbbToolkit.Architecture.Tests;

/// <summary>Every rule can fail: the checker, fed a forbidden edge, reports it; fed an allowed one, does not.</summary>
public sealed class LayerRulesTests
{
    private const string Ipsec = "CbbToolkit.Ipsec";

    public static TheoryData<string, string> ForbiddenAssemblyEdges() => new()
    {
        { "CbbToolkit.Ipsec", "CbbToolkit.Channels" },         // Ipsec references no other CbbToolkit assembly
        { "CbbToolkit.Ipsec", "cbb" },
        { "CbbToolkit.Channels", "CbbToolkit.Kestrel" },       // Channels -> Ipsec only
        { "CbbToolkit.Channels", "CbbToolkit.Http" },
        { "CbbToolkit.Kestrel", "CbbToolkit.Http" },           // server and client sides are independent
        { "CbbToolkit.Http", "CbbToolkit.Kestrel" },
        { "CbbToolkit.Kestrel", "cbb" },                       // nothing references the CLI
        { "TlsChannelDemo", "cbb" },
        { "CbbToolkit.Channels", "CbbToolkit.Testing" },       // no library references a test project
        { "CbbToolkit.Ipsec", "CbbToolkit.Ipsec.Tests" },
        { "CbbToolkit.Ipsec", "xunit.v3.core" },               // ... or a test framework
        { "CbbToolkit.Channels", "Microsoft.Extensions.TimeProvider.Testing" },
        { "cbb", "CsCheck" },
        { "CbbToolkit.Grpc", "CbbToolkit.Channels" },          // a new project must be placed in the table first
        { "CbbToolkit.Kestrel", "CbbToolkit.Yarp" },           // nothing but samples and tests references the proxy
        { "CbbToolkit.Http", "CbbToolkit.Yarp" },
        { "cbb", "CbbToolkit.Yarp" },
        { "CbbToolkit.Yarp", "cbb" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenAssemblyEdges))]
    public void AssemblyRules_ReportAForbiddenReference(string from, string to)
    {
        var violations = ToolkitLayers.Assemblies().Check([new Dependency(from, to, "test")]);

        Assert.Contains($"{from} ", Assert.Single(violations), StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectRules_ReportAReferenceToAnyTestProject()
    {
        // PinStoreWriter is no CbbToolkit.* name: the project graph governs every project.
        var violations = ToolkitLayers.Assemblies(isGoverned: _ => true).Check([new Dependency("CbbToolkit.Channels", "PinStoreWriter", "test")]);

        Assert.Single(violations);
    }

    [Theory]
    [InlineData("CbbToolkit.Channels", "CbbToolkit.Ipsec")]
    [InlineData("CbbToolkit.Kestrel", "CbbToolkit.Channels")]
    [InlineData("CbbToolkit.Http", "CbbToolkit.Ipsec")]
    [InlineData("cbb", "CbbToolkit.Http")]
    [InlineData("CbbToolkit.Yarp", "CbbToolkit.Kestrel")]
    [InlineData("CbbToolkit.Yarp", "CbbToolkit.Http")]
    [InlineData("CbbProxy", "CbbToolkit.Yarp")]
    [InlineData("CbbToolkit.Ipsec", "Microsoft.Extensions.Options")]
    public void AssemblyRules_AllowWhatTheDesignAllows(string from, string to)
    {
        Assert.Empty(ToolkitLayers.Assemblies().Check([new Dependency(from, to, "test")]));
    }

    public static TheoryData<string, string> ForbiddenIpsecEdges() => new()
    {
        { Ipsec, $"{Ipsec}.Timing" },                           // the root types and Interop are the bottom
        { Ipsec, $"{Ipsec}.Netlink" },
        { $"{Ipsec}.Interop", $"{Ipsec}.Namespaces" },
        { $"{Ipsec}.Interop", $"{Ipsec}.Timing" },
        { $"{Ipsec}.Timing", $"{Ipsec}.Namespaces" },           // one layer: independent
        { $"{Ipsec}.Namespaces", $"{Ipsec}.Netlink" },
        { $"{Ipsec}.Netlink", $"{Ipsec}.Xfrm" },                 // Netlink below Xfrm and Vici
        { $"{Ipsec}.Xfrm", $"{Ipsec}.Vici" },                    // Xfrm and Vici independent of each other
        { $"{Ipsec}.Vici", $"{Ipsec}.Xfrm" },
        { $"{Ipsec}.Xfrm", $"{Ipsec}.Resolution" },              // Netlink/Xfrm/Vici below Resolution
        { $"{Ipsec}.Vici", $"{Ipsec}.Resolution" },
        { $"{Ipsec}.Netlink", $"{Ipsec}.Resolution" },
        { $"{Ipsec}.Policies", $"{Ipsec}.Xfrm" },                // Policies has no kernel knowledge
        { $"{Ipsec}.Policies", $"{Ipsec}.Netlink" },
        { $"{Ipsec}.Policies", $"{Ipsec}.Vici" },
        { $"{Ipsec}.Policies", $"{Ipsec}.Interop" },
        { $"{Ipsec}.Policies", $"{Ipsec}.Sockets" },
        { $"{Ipsec}.Sockets", $"{Ipsec}.Resolution" },           // Sockets -> Resolution is one way
        { $"{Ipsec}.Sockets", $"{Ipsec}.Latching" },
        { $"{Ipsec}.Resolution", $"{Ipsec}.Latching" },          // Latching on top
        { $"{Ipsec}.Latching", "System.Net.Security" },          // no TLS in src/Ipsec
        { $"{Ipsec}.Policies", "System.Security.Authentication" },
        { $"{Ipsec}.Resolution", "CbbToolkit.Channels.Tls" },     // nor anything of the layer above
        { $"{Ipsec}.Plugins", Ipsec },                           // a new folder must be placed in a layer first
        { $"{Ipsec}.Latching", ToolkitLayers.IpsecDependencyInjection }, // the DI registrations are the top
        { $"{Ipsec}.Configuration", $"{Ipsec}.Vici" },           // the options check is below what it checks
    };

    [Theory]
    [MemberData(nameof(ForbiddenIpsecEdges))]
    public void IpsecRules_ReportAForbiddenUse(string from, string to)
    {
        var violations = ToolkitLayers.IpsecNamespaces().Check([new Dependency(from, to, "test")]);

        Assert.Single(violations);
    }

    [Theory]
    [InlineData("CbbToolkit.Ipsec.Latching", "CbbToolkit.Ipsec.Resolution")]
    [InlineData("CbbToolkit.Ipsec.Resolution", "CbbToolkit.Ipsec.Sockets")]
    [InlineData("CbbToolkit.Ipsec.Resolution", "CbbToolkit.Ipsec.Vici")]
    [InlineData("CbbToolkit.Ipsec.Sockets", "CbbToolkit.Ipsec.Xfrm")]
    [InlineData("CbbToolkit.Ipsec.Policies", "CbbToolkit.Ipsec")]
    [InlineData("CbbToolkit.Ipsec", "CbbToolkit.Ipsec.Interop")]
    [InlineData("CbbToolkit.Ipsec.Interop", "CbbToolkit.Ipsec")]
    [InlineData("CbbToolkit.Ipsec.Xfrm", "CbbToolkit.Ipsec.Netlink")]
    [InlineData("CbbToolkit.Ipsec.Netlink", "System.Net.Sockets")]
    [InlineData("CbbToolkit.Ipsec.Vici", "CbbToolkit.Ipsec.Configuration")]
    [InlineData("CbbToolkit.Ipsec:Microsoft.Extensions.DependencyInjection", "CbbToolkit.Ipsec.Latching")]
    [InlineData("CbbToolkit.Ipsec.Vici", "Microsoft.Extensions.DependencyInjection")]
    public void IpsecRules_AllowWhatTheLayersAllow(string from, string to)
    {
        Assert.Empty(ToolkitLayers.IpsecNamespaces().Check([new Dependency(from, to, "test")]));
    }

    [Fact]
    public void IpsecRules_OverTheRealGraphPlusOneForbiddenEdge_ReportExactlyThatEdge()
    {
        var real = MetadataDependencies.ReadNamespaceDependencies(Path.Combine(AppContext.BaseDirectory, "CbbToolkit.Ipsec.dll"), ToolkitLayers.IpsecModule);
        var broken = real.Append(new Dependency($"{Ipsec}.Sockets", $"{Ipsec}.Resolution", "SocketIpsecExtensions uses IpsecChannelResolver"));

        var violation = Assert.Single(ToolkitLayers.IpsecNamespaces().Check(broken));

        Assert.StartsWith($"{Ipsec}.Sockets -> {Ipsec}.Resolution (SocketIpsecExtensions uses IpsecChannelResolver) is not allowed", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelsRules_ReportAUseOfTheFacade()
    {
        var violations = ToolkitLayers.ChannelsNamespaces().Check([new Dependency("CbbToolkit.Channels", "CbbToolkit.Channels.DraftApi", "test")]);

        Assert.Single(violations);
    }

    [Theory]
    [InlineData("CbbToolkit.Ipsec.Vici.Protocol", "CbbToolkit.Ipsec.Vici")]
    [InlineData("CbbToolkit.Ipsec.Resolution.Matching", "CbbToolkit.Ipsec.Resolution")]
    [InlineData("CbbToolkit.Ipsec.Latching", "CbbToolkit.Ipsec.Latching")]
    [InlineData("CbbToolkit.Ipsec", "CbbToolkit.Ipsec")]
    [InlineData("System.Net.Security", "System.Net.Security")]
    public void IpsecModule_FoldsSubNamespacesIntoTheirFolder(string ns, string module)
    {
        Assert.Equal(module, ToolkitLayers.IpsecModule(ns, own: ns.StartsWith(Ipsec, StringComparison.Ordinal)));
    }

    [Fact]
    public void IpsecModule_TellsTheAssemblysDiExtensionsFromTheFramework()
    {
        Assert.Equal(ToolkitLayers.IpsecDependencyInjection, ToolkitLayers.IpsecModule(ToolkitLayers.DependencyInjection, own: true));
        Assert.Equal(ToolkitLayers.DependencyInjection, ToolkitLayers.IpsecModule(ToolkitLayers.DependencyInjection, own: false));
    }

    [Fact]
    public void Layers_RefuseATableThatContradictsItself()
    {
        Assert.Throws<ArgumentException>(() => LayerRules.FromLayers([["A"], ["A"]], _ => true));
        Assert.Throws<ArgumentException>(() => LayerRules.FromLayers([["A"], ["B"]], _ => true, except: [("A", "B")]));
        Assert.Throws<ArgumentException>(() => LayerRules.FromLayers([["A"], ["B"]], _ => true, also: [("B", "A")]));
        Assert.Throws<ArgumentException>(() => LayerRules.FromTable(new Dictionary<string, string[]> { ["A"] = ["B"] }, _ => true));
    }
}
