using System.Security.Cryptography.X509Certificates;
using CbbServer.Configuration;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Kestrel;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CbbServer.Hosting;

/// <summary>The Kestrel endpoints: plaintext ones for verified channels only, and the TLS one.</summary>
public static class ServerEndpoints
{
    // Every binding value, ipsec-sa-binding included: the binding exchange proves it (read from the kernel per connection).
    private static readonly IpsecPolicy BindingPolicy = IpsecPolicy.Default with { ChannelBindings = ChannelBindingSelection.All };

    /// <summary>Listens on every configured endpoint.</summary>
    public static void Configure(KestrelServerOptions kestrel, CbbServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var plaintext in options.Plaintext)
        {
            kestrel.Listen(Endpoint(plaintext), listen =>
            {
                // Closed before any HTTP byte is read unless verified; a NULL-auth peer may still prove a binding.
                listen.RequireVerifiedIpsecChannel(o =>
                {
                    o.AcceptsBindings = true;
                    o.ChannelPolicy = BindingPolicy;
                });
                listen.Use(ConnectionLog.Middleware(listen.ApplicationServices, "plaintext"));
            });
        }

        if (options.Tls is { } tls)
        {
            kestrel.Listen(Endpoint(tls), listen =>
            {
                // Permissive: TLS clients need no IPsec; the channel is resolved before the handshake so that the
                // handshake can leave out the certificate request for a verified peer (with --ipsec-principal).
                listen.UseIpsecChannel(o =>
                {
                    o.Mode = IpsecChannelMode.Permissive;
                    o.AcceptsBindings = true;
                    o.ChannelPolicy = BindingPolicy;
                });
                listen.UseHttpsWithIpsecPeer(
                    https =>
                    {
                        https.ServerCertificate = X509Certificate2.CreateFromPemFile(options.Cert!, options.Key!);
                        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                        // Any certificate gets through the handshake; the Certificate scheme decides who it names.
                        https.ClientCertificateValidation = (_, _, _) => true;
                    },
                    ipsec => ipsec.AcceptIpsecPeerAsPrincipal = options.IpsecPrincipal);
                listen.Use(ConnectionLog.Middleware(listen.ApplicationServices, "tls"));
            });
        }
    }

    private static System.Net.IPEndPoint Endpoint(string text) =>
        CbbServerOptionsValidator.TryParseEndpoint(text, out var endpoint) ? endpoint : throw new UsageException($"'{text}' is not IP:PORT");
}
