using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;

namespace CbbToolkit.Http.Exchange;

// What the binding exchange needs from one of the handler's connections, read now.
internal static class BindingChannelView
{
    /// <summary>
    /// The connection's IPsec channel information (ipsec-sa-binding read at connect) with its latch state as the latch
    /// says now; empty without IPsec, so that the exchange refuses the channel as not verified.
    /// </summary>
    public static ChannelInfo Current(IpsecConnectionInfo connection, IpsecChannelOptions options)
    {
        if (options.BindingChannelSource is { } source)
        {
            return source(connection) ?? ChannelInfo.Empty;
        }

        if (connection.IpsecChannelInfo is not { } info)
        {
            return ChannelInfo.Empty;
        }

        var state = LatchState(connection.Latch, options.Latches);
        return state is { } s ? info.With(ChannelAttributeType.LatchState, [(byte)s]) : info.Without(ChannelAttributeType.LatchState);
    }

    /// <summary>Whether a later connection can prove a binding now: ipsec-sa-binding present and the latch ESTABLISHED.</summary>
    public static bool CanResume(ChannelInfo channel) =>
        channel.Contains(ChannelAttributeType.IpsecSaBinding)
        && channel.TryGet(ChannelAttributeType.LatchState, out var latch) && latch.Length == 1 && latch.Span[0] == (byte)IpsecLatchState.Established;

    /// <summary>This client's own IPsec identity in the connection's IKE SA; unauthenticated when IKE named none.</summary>
    public static IpsecIdentity LocalIdentity(IpsecConnectionInfo connection)
    {
        if (connection.Resolution.Channel?.Peer is not { } peer
            || peer.LocalAuthenticationMethod is IpsecAuthenticationMethod.None or IpsecAuthenticationMethod.Null or IpsecAuthenticationMethod.Btns)
        {
            return IpsecIdentity.Unauthenticated;
        }

        var keyHash = peer.LocalPublicKey is { Length: > 0 } key ? SHA256.HashData(key.Span) : [];
        return new IpsecIdentity(string.IsNullOrEmpty(peer.LocalId) ? null : peer.LocalId, peer.LocalAuthenticationMethod, keyHash);
    }

    private static IpsecLatchState? LatchState(IpsecLatchHandle? handle, IpsecLatchDatabase? latches)
    {
        if (handle is null || latches is null)
        {
            return null;
        }

        try
        {
            return latches.Inquire(handle).State;
        }
        catch (IpsecException)
        {
            return null; // released or unknown: not latched
        }
    }
}
