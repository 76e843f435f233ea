using System.Security.Cryptography.X509Certificates;
using CbbServer.Configuration;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Kestrel;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace CbbServer.Hosting;

/// <summary>The services: the IPsec channel machinery, and authentication with the app's normal scheme (client certificates).</summary>
public static class ServerServices
{
    /// <summary>The configuration section bound to <see cref="IpsecChannelsOptions"/>.</summary>
    public const string IpsecChannelsSection = "IpsecChannels";

    /// <summary>Adds everything the app uses.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, CbbServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Which IKE peers are trusted as principals (TrustedPeerIds, TrustedAuthenticationMethods): section "IpsecChannels".
        services.AddOptions<IpsecChannelsOptions>().Bind(configuration.GetSection(IpsecChannelsSection));
        services.AddIpsecChannels();
        if (options.Vici is { } vici)
        {
            services.Configure<ViciClientOptions>(o => o.SocketPath = new Uri(vici).LocalPath);
        }

        // Bound clients are told where the plaintext endpoint is (CBB-Plaintext) when they bind over TLS.
        services.AddChannelBindingServer(o => o.PlaintextPort = options.Plaintext.Count == 0 ? null : Port(options.Plaintext[0]));

        // The app's normal scheme is Certificate; AddIpsecWhenVerified puts the binding scheme (a proven binding) and the
        // IPsec scheme (a verified channel) in front of it, never behind.
        services.AddAuthentication()
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
            .AddChannelBinding()
            .AddIpsecWhenVerified(CertificateAuthenticationDefaults.AuthenticationScheme);
        services.AddAuthorization();
    }

    private static int Port(string endpoint) =>
        CbbServerOptionsValidator.TryParseEndpoint(endpoint, out var parsed) ? parsed.Port : throw new UsageException($"'{endpoint}' is not IP:PORT");
}
