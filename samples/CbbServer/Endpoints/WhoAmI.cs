using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Kestrel;
using CbbToolkit.Kestrel.Forwarding;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace CbbServer.Endpoints;

/// <summary>GET /whoami: answers every caller, authenticated or not.</summary>
public static class WhoAmI
{
    /// <summary>What the request's features say about the caller.</summary>
    public static WhoAmIResponse Describe(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var identity = context.User.Identity;
        var authenticated = identity?.IsAuthenticated == true;
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        if (authenticated)
        {
            foreach (var claim in context.User.Claims)
            {
                claims.TryAdd(claim.Type, claim.Value);
            }
        }

        var tls = context.Features.Get<ITlsHandshakeFeature>() is not null || context.Request.IsHttps;
        var certificate = context.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        return new WhoAmIResponse(
            authenticated,
            authenticated ? identity!.AuthenticationType : null,
            authenticated ? identity!.Name : null,
            claims,
            tls,
            certificate?.Subject,
            Ipsec(context.Features.Get<IIpsecChannelFeature>()),
            Binding(context.Features.Get<IChannelBindingFeature>()),
            Forwarded(context));
    }

    private static ForwardedView? Forwarded(HttpContext context)
    {
        if (context.Features.Get<IForwardedIdentityFeature>() is not { } forwarded)
        {
            return null;
        }

        var headers = context.Request.Headers;
        var identity = headers["CBB-Identity"].ToString();
        return new ForwardedView(forwarded.ProxyId, identity.Length == 0 ? null : identity, ClientCertificateSubject(headers["Client-Cert"].ToString()));
    }

    // RFC 9440: the DER certificate as an RFC 8941 byte sequence, ":base64:".
    private static string? ClientCertificateSubject(string header)
    {
        if (header.Length < 2 || header[0] != ':' || header[^1] != ':')
        {
            return null;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(header[1..^1]));
            return certificate.Subject;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static IpsecView Ipsec(IIpsecChannelFeature? channel)
    {
        if (channel is null)
        {
            return new IpsecView(false, "no IPsec channel middleware on this endpoint", null, null, null, null);
        }

        var sas = channel.Channel;
        return new IpsecView(
            channel.IsVerified,
            channel.IsVerified ? null : $"{channel.Status}: {channel.Reason}",
            sas is null ? null : Spi(sas.Outbound.Spi),
            sas is null ? null : Spi(sas.Inbound.Spi),
            channel.Peer?.RemoteId,
            channel.Peer?.AuthenticationMethod.ToString());
    }

    private static BindingView Binding(IChannelBindingFeature? binding) =>
        new(binding?.State == ChannelBindingState.Used, binding?.State == ChannelBindingState.Created);

    private static string Spi(uint spi) => "0x" + spi.ToString("x8", CultureInfo.InvariantCulture);
}
