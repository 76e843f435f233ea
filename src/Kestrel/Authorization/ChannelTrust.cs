using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Kestrel.Binding;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Authorization;

/// <summary>What the requirements read from a request's connection, now.</summary>
internal static class ChannelTrust
{
    /// <summary>A binding was proven on the connection and its channel is still latched.</summary>
    public static bool IsBoundNow(HttpContext context, IIpsecChannelFeature? channel) =>
        ChannelBindingConnectionState.Find(context) is { State: ChannelBindingState.Used }
        && ChannelViews.CanCarryBinding(channel)
        && channel!.LatchState == IpsecLatchState.Established;

    /// <summary>The channel's IPsec protocol, from the resolved channel or its channel information.</summary>
    public static XfrmProtocol? Protocol(IIpsecChannelFeature channel) =>
        channel.Channel?.Protocol
        ?? (channel.ChannelInfo is { } info && info.TryGet(ChannelAttributeType.IpsecProtocol, out var p) ? (XfrmProtocol)p.Span[0] : null);

    /// <summary>Whether the SAs may carry other flows (RFC 5660 2.1); unknown counts as indeterminate.</summary>
    public static bool IsQopIndeterminate(IIpsecChannelFeature channel) =>
        channel.Channel?.IsQopIndeterminate
        ?? (channel.ChannelInfo is not { } info || !info.TryGet(ChannelAttributeType.QopIndeterminate, out var q) || q.Span[0] != 0);
}
