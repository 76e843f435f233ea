using System.Security.Cryptography.X509Certificates;
using CbbServer.Configuration;
using CbbToolkit.Kestrel;
using CbbToolkit.Kestrel.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Connections.Features;

namespace CbbServer.Hosting;

/// <summary>The services: the IPsec channel machinery, and authentication with the app's normal scheme (client certificates).</summary>
public static class ServerServices
{
    /// <summary>The scheme the app authenticates with: it forwards to the IPsec or binding scheme when the connection earns it.</summary>
    public const string AppScheme = "CbbServer";

    /// <summary>Adds everything the app uses.</summary>
    public static void Add(IServiceCollection services, CbbServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddIpsecChannels(o =>
        {
            if (options.Vici is { } vici)
            {
                o.ViciUri = vici;
            }
        });

        services.AddAuthentication(AppScheme)
            .AddCertificate(o =>
            {
                // Only certificates the client CA issued; with no CA configured, none authenticates.
                o.AllowedCertificateTypes = CertificateTypes.Chained;
                o.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                o.RevocationMode = X509RevocationMode.NoCheck;
                o.ValidateCertificateUse = true;
                if (options.ClientCa is { } ca)
                {
                    o.CustomTrustStore.ImportFromPemFile(ca);
                }
            })
            .AddIpsec()
            .AddPolicyScheme(AppScheme, "client certificate, else the verified IPsec peer", o => o.ForwardDefaultSelector = SelectScheme);
        services.AddAuthorization();
    }

    // A client certificate (asked for on TLS) is the app's normal credential and wins when sent; without one, a verified
    // channel authenticates as its IKE peer. Nothing the client writes in a header takes part.
    private static string SelectScheme(HttpContext context)
    {
        if (context.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is not null)
        {
            return CertificateAuthenticationDefaults.AuthenticationScheme;
        }

        return context.Features.Get<IIpsecChannelFeature>() is { IsVerified: true }
            ? IpsecAuthenticationDefaults.AuthenticationScheme
            : CertificateAuthenticationDefaults.AuthenticationScheme;
    }
}
