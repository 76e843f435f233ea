using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Kestrel.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Connections;

/// <summary>
/// The middleware asks the kernel for ipsec-sa-binding on the endpoints that need it (the policy selects it, or the
/// endpoint runs the binding exchange) through the one per-process key reader, and says why when there is no value. On
/// the host kernel (no ESP) no SA pair ever protects the flow, so the reason is reported; the value itself is checked
/// over real ESP in the lab suite (KestrelSaBindingEspTests).
/// </summary>
[Collection(nameof(IpsecChannelMiddlewareTests))]
public sealed class SaBindingRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EffectivePolicy_Default_LeavesSaBindingOut()
    {
        var endpoint = new IpsecChannelEndpointOptions();

        Assert.False(IpsecSaKeyReader.ReadsKeys(endpoint));
        Assert.Same(endpoint.ChannelPolicy, IpsecSaKeyReader.EffectivePolicy(endpoint));
    }

    [Fact]
    public void EffectivePolicy_AcceptsBindings_AddsSaBindingAndKeepsTheRest()
    {
        var endpoint = new IpsecChannelEndpointOptions { AcceptsBindings = true };

        var policy = IpsecSaKeyReader.EffectivePolicy(endpoint);

        Assert.True(IpsecSaKeyReader.ReadsKeys(endpoint));
        Assert.True(policy.ChannelBindings.Includes(IpsecChannelBindings.IpsecSaBinding));
        Assert.True(policy.ChannelBindings.Includes(IpsecChannelBindings.IpsecEndPoint));
        Assert.Equal(endpoint.ChannelPolicy with { ChannelBindings = policy.ChannelBindings }, policy);
    }

    [Fact]
    public void EffectivePolicy_PolicySelectsSaBinding_ReadsKeys()
    {
        var endpoint = new IpsecChannelEndpointOptions { ChannelPolicy = IpsecPolicy.Default with { ChannelBindings = IpsecChannelBindings.IpsecSaBinding } };

        Assert.True(IpsecSaKeyReader.ReadsKeys(endpoint));
    }

    [Fact]
    public async Task AcceptsBindings_NotProtected_ReasonReportedOnTheFeature()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.AcceptsBindings = true, Map);
        using var client = server.Client();

        var reason = await client.GetStringAsync("/missing-binding", Ct);

        Assert.StartsWith("ipsec-sa-binding not computed: no IPsec SA pair protects the connection (NoPolicy)", reason, StringComparison.Ordinal);
        var reader = server.Services.GetRequiredService<IpsecSaKeyReader>();
        Assert.Equal(server.NamespaceName, reader.NetworkNamespace);
    }

    [Fact]
    public async Task DefaultEndpoint_NotAsked_NoReason()
    {
        await using var server = await NetnsKestrel.StartAsync(o => o.Mode = IpsecChannelMode.Permissive, Map);
        using var client = server.Client();

        var reason = await client.GetStringAsync("/missing-binding", Ct);

        Assert.Equal("(none)", reason);
    }

    private static void Map(WebApplication app) =>
        app.MapGet("/missing-binding", (HttpContext c) => c.Features.Get<IIpsecChannelFeature>()?.MissingBindingReason ?? "(none)");
}
