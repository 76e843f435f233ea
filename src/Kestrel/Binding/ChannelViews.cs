using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>What the binding exchange needs from a request's connection, read now.</summary>
internal static class ChannelViews
{
    /// <summary>
    /// The connection's channel information with its latch state as the latch says now (the middleware computed the rest
    /// at accept time); empty when the connection has no IPsec channel (the exchange then refuses channel-not-verified).
    /// </summary>
    public static ChannelInfo CurrentChannelInfo(IIpsecChannelFeature? channel)
    {
        if (channel?.ChannelInfo is not { } info)
        {
            return ChannelInfo.Empty;
        }

        return channel.LatchState is { } latch ? info.With(ChannelAttributeType.LatchState, [(byte)latch]) : info.Without(ChannelAttributeType.LatchState);
    }

    /// <summary>Protected, latched and not broken: a channel a binding can be made or proven on (the IKE peer need not be trusted).</summary>
    public static bool CanCarryBinding(IIpsecChannelFeature? channel) =>
        channel is { Status: IpsecChannelStatus.Verified or IpsecChannelStatus.PeerNotTrusted };

    /// <summary>The request's connection's 5-tuple as this server sees it.</summary>
    public static IpsecFlow? Flow(HttpContext context)
    {
        var connection = context.Connection;
        return connection.LocalIpAddress is { } local && connection.RemoteIpAddress is { } remote
            ? new IpsecFlow(new IPEndPoint(local, connection.LocalPort), new IPEndPoint(remote, connection.RemotePort), ProtocolType.Tcp)
            : null;
    }

    /// <summary>This server's own IPsec identity in the channel's IKE SA; unauthenticated when IKE named none.</summary>
    public static IpsecIdentity LocalIdentity(IIpsecChannelFeature? channel)
    {
        if (channel?.Peer is not { } peer || peer.LocalAuthenticationMethod is IpsecAuthenticationMethod.None or IpsecAuthenticationMethod.Null or IpsecAuthenticationMethod.Btns)
        {
            return IpsecIdentity.Unauthenticated;
        }

        var keyHash = peer.LocalPublicKey is { Length: > 0 } key ? SHA256.HashData(key.Span) : [];
        return new IpsecIdentity(string.IsNullOrEmpty(peer.LocalId) ? null : peer.LocalId, peer.LocalAuthenticationMethod, keyHash);
    }
}
