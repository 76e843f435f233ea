using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Tls;

/// <summary>
/// The TLS server options of one HTTPS endpoint, decided per connection: a connection whose IPsec channel (resolved and
/// latched by the connection middleware that runs before <c>UseHttps</c>) is verified with an accepted peer is not asked
/// for a client certificate; every other connection is asked exactly as <see cref="HttpsConnectionAdapterOptions"/> says.
/// </summary>
internal sealed class IpsecClientCertificatePolicy
{
    private readonly HttpsConnectionAdapterOptions _https;
    private readonly IpsecHttpsOptions _ipsec;
    private readonly ILogger _logger;
    private readonly SslStreamCertificateContext? _certificateContext;

    public IpsecClientCertificatePolicy(HttpsConnectionAdapterOptions https, IpsecHttpsOptions ipsec, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(https);
        ArgumentNullException.ThrowIfNull(ipsec);
        if (https.ServerCertificate is null && https.ServerCertificateSelector is null)
        {
            throw new ArgumentException("The HTTPS options need a ServerCertificate or a ServerCertificateSelector.", nameof(https));
        }

        if (https.ClientCertificateMode == ClientCertificateMode.DelayCertificate)
        {
            throw new ArgumentException(
                "ClientCertificateMode.DelayCertificate (renegotiation) is not supported with an IPsec-aware handshake: use AllowCertificate or RequireCertificate.",
                nameof(https));
        }

        _https = https;
        _ipsec = ipsec;
        _logger = logger;
        if (https.ServerCertificateSelector is null)
        {
            // Built once: the chain is resolved at start-up, not per connection.
            _certificateContext = SslStreamCertificateContext.Create(https.ServerCertificate!, https.ServerCertificateChain);
        }
    }

    public bool AsksForCertificate => _https.ClientCertificateMode is ClientCertificateMode.AllowCertificate or ClientCertificateMode.RequireCertificate;

    public ValueTask<SslServerAuthenticationOptions> OnConnection(ConnectionContext connection)
    {
        var options = new SslServerAuthenticationOptions
        {
            EnabledSslProtocols = _https.SslProtocols,
            CertificateRevocationCheckMode = _https.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
        };
        if (_certificateContext is not null)
        {
            options.ServerCertificateContext = _certificateContext;
        }
        else
        {
            var selector = _https.ServerCertificateSelector!;
            options.ServerCertificateSelectionCallback = (_, name) => selector(connection, name)!;
        }

        if (AsksForCertificate && !AcceptsPeerWithoutCertificate(connection))
        {
            var mode = _https.ClientCertificateMode;
            var validation = _https.ClientCertificateValidation;
            options.ClientCertificateRequired = true;
            options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Validate(mode, validation, certificate, chain, errors);
        }

        _https.OnAuthenticate?.Invoke(connection, options);
        return ValueTask.FromResult(options);
    }

    private bool AcceptsPeerWithoutCertificate(ConnectionContext connection)
    {
        var channel = connection.Features.Get<IIpsecChannelFeature>();
        if (!_ipsec.AcceptIpsecPeerAsPrincipal || channel is null || !channel.IsVerified)
        {
            TlsLog.ClientCertificateAsked(_logger, connection.ConnectionId, _https.ClientCertificateMode.ToString(),
                channel is null ? "not resolved (no UseIpsecChannel before UseHttps)" : channel.Status.ToString());
            return false;
        }

        try
        {
            if (_ipsec.AcceptPeer is { } accept && !accept(channel))
            {
                TlsLog.ClientCertificateAsked(_logger, connection.ConnectionId, _https.ClientCertificateMode.ToString(), "verified, peer not accepted");
                return false;
            }
        }
        catch (Exception e)
        {
            // Fail closed: a broken filter means "ask as configured", never "let in".
            TlsLog.AcceptPeerFailed(_logger, connection.ConnectionId, e);
            return false;
        }

        TlsLog.ClientCertificateDropped(_logger, connection.ConnectionId, channel.Peer?.ToString() ?? "(unknown)");
        return true;
    }

    // Kestrel's own rules for a certificate it asked for: none is fine unless required; chain errors fail unless the
    // application's validation callback decides.
    private static bool Validate(ClientCertificateMode mode, Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validation,
        X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return mode != ClientCertificateMode.RequireCertificate;
        }

        if (validation is null)
        {
            return errors == SslPolicyErrors.None;
        }

        var certificate2 = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return validation(certificate2, chain, errors);
    }
}
