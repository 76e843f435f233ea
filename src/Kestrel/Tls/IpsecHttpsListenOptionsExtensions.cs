using CbbToolkit.Kestrel.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>HTTPS on a Kestrel endpoint whose client-certificate request is decided per connection from its IPsec channel.</summary>
public static class IpsecHttpsListenOptionsExtensions
{
    /// <summary>
    /// Serves HTTPS with <paramref name="configureHttps"/>'s certificate, protocols and client-certificate mode, except
    /// that a connection whose IPsec channel is verified with a trusted peer is not asked for a client certificate when
    /// <see cref="IpsecHttpsOptions.AcceptIpsecPeerAsPrincipal"/> is set. Call <c>UseIpsecChannel()</c> before this, so
    /// that the channel is resolved and latched before the handshake; without it every connection is asked as configured.
    /// </summary>
    /// <exception cref="ArgumentException">No server certificate, or <see cref="ClientCertificateMode.DelayCertificate"/>.</exception>
    public static ListenOptions UseHttpsWithIpsecPeer(this ListenOptions listenOptions, Action<HttpsConnectionAdapterOptions> configureHttps,
        Action<IpsecHttpsOptions>? configureIpsec = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(configureHttps);
        var https = new HttpsConnectionAdapterOptions();
        configureHttps(https);
        var ipsec = new IpsecHttpsOptions();
        configureIpsec?.Invoke(ipsec);
        return listenOptions.UseHttpsWithIpsecPeer(https, ipsec);
    }

    /// <summary>As <see cref="UseHttpsWithIpsecPeer(ListenOptions, Action{HttpsConnectionAdapterOptions}, Action{IpsecHttpsOptions})"/>, with options objects.</summary>
    public static ListenOptions UseHttpsWithIpsecPeer(this ListenOptions listenOptions, HttpsConnectionAdapterOptions https, IpsecHttpsOptions ipsec)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(https);
        ArgumentNullException.ThrowIfNull(ipsec);
        var loggerFactory = listenOptions.ApplicationServices.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var policy = new IpsecClientCertificatePolicy(https, ipsec, loggerFactory.CreateLogger("CbbToolkit.Kestrel.Tls.IpsecClientCertificatePolicy"));
        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => policy.OnConnection(context.Connection),
            HandshakeTimeout = https.HandshakeTimeout,
        });
    }
}
