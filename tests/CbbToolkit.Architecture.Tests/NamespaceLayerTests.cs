using CbbToolkit.Architecture.Tests.Reading;
using CbbToolkit.Architecture.Tests.Rules;
using Xunit;

namespace CbbToolkit.Architecture.Tests;

/// <summary>
/// docs/ipsec-backend.md "Layers inside src/Ipsec" over the built CbbToolkit.Ipsec, and the draft facade on top of
/// CbbToolkit.Channels.
/// </summary>
public sealed class NamespaceLayerTests
{
    private static readonly string s_ipsec = Path.Combine(AppContext.BaseDirectory, "CbbToolkit.Ipsec.dll");
    private static readonly string s_channels = Path.Combine(AppContext.BaseDirectory, "CbbToolkit.Channels.dll");

    [Fact]
    public void IpsecNamespaces_UseOnlyTheLayersBelowThem()
    {
        var violations = ToolkitLayers.IpsecNamespaces().Check(MetadataDependencies.ReadNamespaceDependencies(s_ipsec, ToolkitLayers.IpsecModule));

        Violations.AssertNone(violations);
    }

    [Theory]
    [InlineData("CbbToolkit.Ipsec.Latching", "CbbToolkit.Ipsec.Resolution")]
    [InlineData("CbbToolkit.Ipsec.Resolution", "CbbToolkit.Ipsec.Sockets")]
    [InlineData("CbbToolkit.Ipsec.Resolution", "CbbToolkit.Ipsec.Xfrm")]
    [InlineData("CbbToolkit.Ipsec.Resolution", "CbbToolkit.Ipsec.Vici")]
    [InlineData("CbbToolkit.Ipsec.Sockets", "CbbToolkit.Ipsec.Policies")]
    [InlineData("CbbToolkit.Ipsec.Xfrm", "CbbToolkit.Ipsec.Netlink")]
    [InlineData("CbbToolkit.Ipsec.Netlink", "CbbToolkit.Ipsec.Interop")]
    [InlineData("CbbToolkit.Ipsec.Vici", "CbbToolkit.Ipsec.Configuration")]
    [InlineData(ToolkitLayers.IpsecDependencyInjection, "CbbToolkit.Ipsec.Latching")]
    public void IpsecGraph_HoldsTheEdgesTheCodeHas(string from, string to)
    {
        // Without these the layer test could pass over a graph the reader failed to see.
        var edges = MetadataDependencies.ReadNamespaceDependencies(s_ipsec, ToolkitLayers.IpsecModule);

        Assert.Contains(edges, e => e.From == from && e.To == to);
    }

    [Fact]
    public void EveryIpsecFolder_IsInALayer()
    {
        var rules = ToolkitLayers.IpsecNamespaces();
        var edges = MetadataDependencies.ReadNamespaceDependencies(s_ipsec, ToolkitLayers.IpsecModule);

        var folders = edges.Select(e => e.From).Distinct().ToList();

        Assert.Contains("CbbToolkit.Ipsec.Latching", folders);
        Assert.All(folders, f => Assert.Contains(f, rules.Nodes));
    }

    [Fact]
    public void Channels_NothingButTheFacadeUsesTheFacade()
    {
        var edges = MetadataDependencies.ReadNamespaceDependencies(s_channels, ToolkitLayers.ChannelsPart);

        Assert.Contains(edges, e => e.From == "CbbToolkit.Channels.DraftApi" && e.To == "CbbToolkit.Channels");
        Violations.AssertNone(ToolkitLayers.ChannelsNamespaces().Check(edges));
    }
}
