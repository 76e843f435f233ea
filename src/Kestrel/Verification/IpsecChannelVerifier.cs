using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Verification;

/// <summary>
/// docs/design.md's "verified", minus the latch (checked by the middleware): a resolution that found an SA pair, a peer
/// the key manager named, authenticated with a trusted IKE method, with an identity matching a trusted pattern.
/// </summary>
internal sealed class IpsecChannelVerifier(IOptions<IpsecChannelsOptions> options)
{
    private readonly IpsecChannelsOptions _options = options.Value;

    public ChannelVerdict Verify(IpsecChannelResolution resolution)
    {
        if (resolution.Channel is not { } channel)
        {
            var status = resolution.Reason switch
            {
                IpsecNotProtectedReason.NoPrivilege or IpsecNotProtectedReason.BackendError => IpsecChannelStatus.Error,
                IpsecNotProtectedReason.PeerUnknown or IpsecNotProtectedReason.KeyManagerUnreachable => IpsecChannelStatus.PeerUnknown,
                _ => IpsecChannelStatus.NotProtected,
            };
            return new(status, $"{resolution.Flow}: not protected ({resolution.Reason}): {resolution.Message}");
        }

        if (channel.Peer is not { } peer)
        {
            return new(IpsecChannelStatus.PeerUnknown, $"{resolution.Flow}: {channel} but the peer is {channel.PeerStatus}: {channel.PeerMessage}");
        }

        if (!_options.TrustedAuthenticationMethods.Contains(peer.AuthenticationMethod) || peer.RemoteId.Length == 0)
        {
            return new(IpsecChannelStatus.PeerNotTrusted,
                $"{resolution.Flow}: peer {peer} authenticated with {peer.AuthenticationMethod}, which this endpoint does not trust");
        }

        if (_options.TrustedPeerIds.Count > 0 && !_options.TrustedPeerIds.Any(p => PeerIdPattern.Matches(p, peer.RemoteId)))
        {
            return new(IpsecChannelStatus.PeerNotTrusted, $"{resolution.Flow}: peer '{peer.RemoteId}' matches none of the trusted peer ids");
        }

        return new(IpsecChannelStatus.Verified, null);
    }
}
