using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;

namespace CbbToolkit.Http.Connections;

// The pin check in the TLS handshake: the server's SPKI and the channel's IPsec identity against the authority's pin.
internal static class PinCheck
{
    public static void Verify(IPinStore pins, IpsecConnectionInfo info, X509Certificate certificate)
    {
        var spki = TlsSnapshot.Spki(certificate)!;
        var identity = info.IpsecChannelInfo is { } channel ? IpsecIdentity.FromPeer(channel) : IpsecIdentity.Unauthenticated;
        info.Pin = pins.Verify(PinAuthority.Normalize(info.Authority), spki, identity) == PinVerification.Match
            ? IpsecPinState.Matched
            : IpsecPinState.Unknown;
    }
}
