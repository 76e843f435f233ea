using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>Builds the principal of a verified IPsec channel's IKE peer (claim types: <see cref="IpsecClaimTypes"/>).</summary>
internal static class IpsecPrincipalFactory
{
    public static ClaimsPrincipal Create(IpsecPeer peer, ChannelInfo? channelInfo, string authenticationType, string issuer)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, peer.RemoteId, ClaimValueTypes.String, issuer),
            new(ClaimTypes.Name, peer.RemoteId, ClaimValueTypes.String, issuer),
            new(IpsecClaimTypes.IkeId, peer.RemoteId, ClaimValueTypes.String, issuer),
            new(IpsecClaimTypes.AuthenticationMethod, peer.AuthenticationMethod.ToString(), ClaimValueTypes.String, issuer),
        };
        if (peer.PublicKey is { Length: > 0 } key)
        {
            claims.Add(new Claim(IpsecClaimTypes.PeerPublicKeySha256, Convert.ToHexStringLower(SHA256.HashData(key.Span)), ClaimValueTypes.String, issuer));
        }

        if (peer.Certificate is { Length: > 0 } der)
        {
            claims.Add(new Claim(IpsecClaimTypes.PeerCertificateThumbprint, Convert.ToHexStringLower(SHA256.HashData(der.Span)), ClaimValueTypes.String, issuer));
            if (TrySubject(der, out var subject))
            {
                claims.Add(new Claim(IpsecClaimTypes.PeerCertificateSubject, subject, ClaimValueTypes.String, issuer));
            }
        }

        if (channelInfo is not null && channelInfo.TryGet(ChannelAttributeType.IpsecEndPointSha256, out var endPoint))
        {
            claims.Add(new Claim(IpsecClaimTypes.EndPointSha256, Convert.ToHexStringLower(endPoint.Span), ClaimValueTypes.String, issuer));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    // The certificate comes from the IKE daemon's configuration; one that does not parse only loses its subject claim.
    private static bool TrySubject(ReadOnlyMemory<byte> der, out string subject)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der.Span);
            subject = certificate.Subject;
            return true;
        }
        catch (CryptographicException)
        {
            subject = "";
            return false;
        }
    }
}
