using System.Net.Sockets;
using CbbToolkit.Channels;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// One end's view of a flow, as an application there gets it: the resolver over its own kernel (a fresh dump), the peer
/// from its own IKE daemon when given, then <see cref="IpsecChannelInfoConverter.FromChannelAsync"/> reading the SA keys
/// from that kernel. Both binding values are asked for.
/// </summary>
internal static class BindingEnd
{
    private static readonly IpsecPolicy Both =
        IpsecPolicy.Default with { ChannelBindings = IpsecChannelBindings.IpsecEndPoint | IpsecChannelBindings.IpsecSaBinding, RequireChannelBinding = false };

    /// <summary>The conversion of <paramref name="flow"/> as seen in <paramref name="ns"/>; fails the test when the flow is not protected.</summary>
    public static async Task<(IpsecChannel Channel, IpsecChannelConversion Conversion)> ConvertAsync(string ns, IpsecFlow flow, CancellationToken ct,
        IIpsecPeerSource? peers = null, IpsecSocketPolicies? socketPolicies = null)
    {
        using var xfrm = XfrmClient.Open(ns);
        var resolution = await IpsecChannelResolver.ResolveOnceAsync(xfrm, flow, peers, socketPolicies, ct);
        Assert.True(resolution.Channel is not null, $"{ns}: {flow.Local} -> {flow.Remote} not protected: {resolution.Reason} {resolution.Message}");
        var conversion = await IpsecChannelInfoConverter.FromChannelAsync(resolution.Channel, Both, xfrm, cancellationToken: ct);
        return (resolution.Channel, conversion);
    }

    /// <summary>ipsec-sa-binding of the conversion; fails the test with the reason when absent.</summary>
    public static byte[] SaBinding(IpsecChannelConversion conversion)
    {
        var result = conversion.SaBinding!;
        Assert.True(result.HasValue, "ipsec-sa-binding absent: " + result);
        var value = result.Value!.Value.ToArray();
        Assert.Equal(value, conversion.Info.GetBytes(ChannelAttributeType.IpsecSaBinding)); // the same value in ChannelInfo
        return value;
    }

    /// <summary>ipsec-end-point-sha256 of the conversion; fails the test with the reason when absent.</summary>
    public static byte[] EndPoint(IpsecChannelConversion conversion)
    {
        var result = conversion.EndPoint!;
        Assert.True(result.HasValue, "ipsec-end-point-sha256 absent: " + result);
        var value = result.Value!.Value.ToArray();
        Assert.Equal(value, conversion.Info.GetBytes(ChannelAttributeType.IpsecEndPointSha256));
        return value;
    }

    /// <summary>The same connection as the other end sees it.</summary>
    public static IpsecFlow Mirror(IpsecFlow flow) => new(flow.Remote, flow.Local, flow.Protocol);

    /// <summary>The flow of a connected socket.</summary>
    public static IpsecFlow Of(Socket socket) => IpsecFlow.FromSocket(socket);
}
