using System.Security.Cryptography.X509Certificates;
using CbbServer.Configuration;
using CbbToolkit.Kestrel;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Kestrel.Authentication;
using CbbToolkit.Kestrel.Binding;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Http.Features;

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
        services.AddIpsecChannels();
        if (options.Vici is { } vici)
        {
            services.Configure<ViciClientOptions>(o => o.SocketPath = new Uri(vici).LocalPath);
        }

        // Bound clients are told where the plaintext endpoint is (CBB-Plaintext) when they bind over TLS.
        services.AddChannelBindingServer(o => o.PlaintextPort = options.Plaintext.Count == 0 ? null : Port(options.Plaintext[0]));

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
            .AddChannelBinding()
            .AddPolicyScheme(AppScheme, "client certificate, else the verified IPsec peer", o => o.ForwardDefaultSelector = SelectScheme);
        services.AddAuthorization();
    }

    /// <summary>
    /// Which scheme authenticates a request. A binding proof (on a plaintext connection: the binding exchange's resume)
    /// is judged by the binding scheme alone - a failed proof never falls back to another identity. Else a TLS client
    /// certificate (the app's normal credential) wins when sent; without one, a verified channel authenticates as its IKE
    /// peer. Which headers a request carries selects at most the binding scheme, whose proof then decides; no header
    /// names an identity.
    /// </summary>
    public static string SelectScheme(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tls = context.Features.Get<ITlsConnectionFeature>();
        if (tls is null && (context.Request.Headers.ContainsKey(BindingHeaderNames.Resume)
            || context.Features.Get<IChannelBindingFeature>() is { State: ChannelBindingState.Used }
            || context.Features.Get<IIpsecChannelFeature>() is { IsVerified: false }))
        {
            return ChannelBindingDefaults.AuthenticationScheme;
        }

        if (tls?.ClientCertificate is not null)
        {
            return CertificateAuthenticationDefaults.AuthenticationScheme;
        }

        return context.Features.Get<IIpsecChannelFeature>() is { IsVerified: true }
            ? IpsecAuthenticationDefaults.AuthenticationScheme
            : CertificateAuthenticationDefaults.AuthenticationScheme;
    }

    private static int Port(string endpoint) =>
        CbbServerOptionsValidator.TryParseEndpoint(endpoint, out var parsed) ? parsed.Port : throw new UsageException($"'{endpoint}' is not IP:PORT");
}
