using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// The channel an application requires of a socket (<c>ipsec_set_socket_channel_info</c>: leap of faith, the channel
/// seen before) and how a current channel is checked against it. Only attributes that name the peer or the kind of
/// protection are compared; SPIs, reqid, algorithms, latch state and created-at change between connections and rekeys.
/// </summary>
internal static class ChannelPin
{
    /// <summary>The attributes a pin compares, each in constant time.</summary>
    public static readonly ChannelAttributeType[] Compared =
    [
        ChannelAttributeType.IpsecEndPointSha256,
        ChannelAttributeType.IpsecSingleEndPointSha256,
        ChannelAttributeType.IpsecSaBinding,
        ChannelAttributeType.IpsecPeerId,
        ChannelAttributeType.IpsecAuthenticationMethod,
        ChannelAttributeType.IpsecPeerPublicKey,
        ChannelAttributeType.IpsecProtocol,
        ChannelAttributeType.IpsecMode,
    ];

    /// <summary>Whether the information names anything a pin can compare.</summary>
    public static bool CanPin(ChannelInfo expected) => Compared.Any(expected.Contains);

    /// <summary>
    /// None when every compared attribute of <paramref name="expected"/> is in <paramref name="current"/> with the same
    /// value; KeyRejected when one differs or is missing (fail closed: a peer nobody could name is not the pinned one),
    /// except ConnectionRefused when the missing peer attributes are missing because the IKE daemon could not be reached.
    /// </summary>
    public static IpsecError Check(ChannelInfo expected, ChannelInfo current, IpsecPeerStatus peerStatus)
    {
        var differs = false;
        var missing = false;
        foreach (var type in Compared)
        {
            if (!expected.Contains(type))
            {
                continue;
            }

            if (!current.Contains(type))
            {
                missing = true;
            }
            else
            {
                differs |= !ChannelInfo.BindingEquals(expected, current, type);
            }
        }

        return differs ? IpsecError.KeyRejected
            : !missing ? IpsecError.None
            : peerStatus == IpsecPeerStatus.Unreachable ? IpsecError.ConnectionRefused
            : IpsecError.KeyRejected;
    }
}
