using System.Security.Claims;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Kestrel.Authorization;
using CbbToolkit.Kestrel.Tests.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Connections.Features;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Authorization;

/// <summary>The requirements against channel features set directly (their HTTP path is covered by the Kestrel tests).</summary>
public sealed class IpsecChannelRequirementTests
{
    [Fact]
    public async Task Verified_Esp_Met()
    {
        Assert.True(await MetAsync(new IpsecChannelRequirement(), TestChannelFeature.Verified()));
    }

    [Theory]
    [InlineData(IpsecChannelStatus.PeerNotTrusted)]
    [InlineData(IpsecChannelStatus.NotProtected)]
    [InlineData(IpsecChannelStatus.NotLatched)]
    [InlineData(IpsecChannelStatus.Error)]
    public async Task NotVerified_NotMet(IpsecChannelStatus status)
    {
        var channel = TestChannelFeature.Verified();
        channel.Status = status;

        Assert.False(await MetAsync(new IpsecChannelRequirement(), channel));
    }

    [Fact]
    public async Task NoChannelFeature_NotMet()
    {
        Assert.False(await MetAsync(new IpsecChannelRequirement(), (IIpsecChannelFeature?)null));
    }

    [Fact]
    public async Task AhOnly_EspRequired_NotMet()
    {
        var channel = TestChannelFeature.Verified();
        channel.ChannelInfo = channel.ChannelInfo!.With(ChannelAttributeType.IpsecProtocol, [51]);

        Assert.False(await MetAsync(new IpsecChannelRequirement(), channel));
        Assert.True(await MetAsync(new IpsecChannelRequirement { RequireEsp = false }, channel));
    }

    [Theory]
    [InlineData(@".*\.example\.net", "client.example.net", true)]
    [InlineData(@".*\.example\.net", "client.example.net.evil.org", false)]
    [InlineData(@"client\.example\.net", "xclient.example.net", false)]
    [InlineData("CN=alice, O=Example", "CN=alice, O=Example", true)]
    public async Task PeerIdPattern_MatchesTheWholeIdentity(string pattern, string peerId, bool met)
    {
        Assert.Equal(met, await MetAsync(new IpsecChannelRequirement { PeerIdPattern = pattern }, TestChannelFeature.Verified(peerId)));
    }

    [Fact]
    public async Task QopIndeterminate_RequiredDeterminate_NotMet()
    {
        var channel = TestChannelFeature.Verified();
        var determinate = new IpsecChannelRequirement { RequireDeterminateQop = true };
        Assert.True(await MetAsync(determinate, channel));

        channel.ChannelInfo = channel.ChannelInfo!.With(ChannelAttributeType.QopIndeterminate, [1]);
        Assert.False(await MetAsync(determinate, channel));

        channel.ChannelInfo = channel.ChannelInfo!.Without(ChannelAttributeType.QopIndeterminate);
        Assert.False(await MetAsync(determinate, channel));
    }

    [Fact]
    public async Task BoundChannel_MetUnlessPeerPatternOrBindingRefused()
    {
        var channel = TestChannelFeature.Unauthenticated(new byte[32]);
        var context = Context(channel);
        Bind(context);

        Assert.True(await MetAsync(new IpsecChannelRequirement(), context));
        Assert.True(await MetAsync(new ChannelBindingRequirement(), context));
        Assert.False(await MetAsync(new IpsecChannelRequirement { AcceptChannelBinding = false }, context));
        Assert.False(await MetAsync(new IpsecChannelRequirement { PeerIdPattern = ".*" }, context));

        channel.LatchState = IpsecLatchState.Broken;
        channel.Status = IpsecChannelStatus.NotLatched;
        Assert.False(await MetAsync(new IpsecChannelRequirement(), context));
        Assert.False(await MetAsync(new ChannelBindingRequirement(), context));
    }

    [Fact]
    public async Task ChannelBinding_NotProven_NotMet()
    {
        Assert.False(await MetAsync(new ChannelBindingRequirement(), Context(TestChannelFeature.Unauthenticated(new byte[32]))));
        Assert.False(await MetAsync(new ChannelBindingRequirement(), Context(TestChannelFeature.Verified())));
    }

    [Fact]
    public void PolicyBuilder_AddsTheRequirements()
    {
        var policy = new AuthorizationPolicyBuilder().RequireIpsecChannel(r => r.PeerIdPattern = "a").RequireChannelBinding().Build();

        Assert.Equal("a", Assert.Single(policy.Requirements.OfType<IpsecChannelRequirement>()).PeerIdPattern);
        Assert.Single(policy.Requirements.OfType<ChannelBindingRequirement>());
    }

    private static void Bind(HttpContext context)
    {
        var state = CbbToolkit.Kestrel.Binding.ChannelBindingConnectionState.Of(context)!;
        state.Used(CbbToolkit.Channels.Bindings.BindingId.NewId(), new CbbToolkit.Channels.Bindings.BoundPrincipal("alice", "Normal", []));
    }

    private static DefaultHttpContext Context(IIpsecChannelFeature? channel)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IConnectionItemsFeature>(new ConnectionItems());
        if (channel is not null)
        {
            context.Features.Set(channel);
        }

        return context;
    }

    private static Task<bool> MetAsync(IAuthorizationRequirement requirement, IIpsecChannelFeature? channel) => MetAsync(requirement, Context(channel));

    private static async Task<bool> MetAsync(IAuthorizationRequirement requirement, HttpContext http)
    {
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(), http);
        await ((IAuthorizationHandler)requirement).HandleAsync(context);
        return context.HasSucceeded;
    }

    private sealed class ConnectionItems : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }
}
