using System.Security.Authentication;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>Channel information from a real loopback TLS 1.3 handshake (ECDSA P-256), as an application would hold it.</summary>
internal static class RealChannelInfo
{
    /// <summary>The policy of a typical channel-bound client: tls-exporter, tls-server-end-point, peer certificate + SPKI.</summary>
    public static IpsecPolicy TypicalPolicy { get; } = new()
    {
        ChannelBindings = TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint | TlsChannelBindings.PeerCertificate,
    };

    /// <summary>Both ends' channel information of one handshake (the server's with its own certificate).</summary>
    public static (ChannelInfo Client, ChannelInfo Server) FromHandshake()
    {
        using var certificate = EphemeralCertificate.CreateEcdsaP256();
        var tls = LoopbackTls.ConnectAsync(certificate, SslProtocols.Tls13).GetAwaiter().GetResult();
        try
        {
            var client = TlsChannelInfoConverter.FromSslStream(tls.Client, TypicalPolicy);
            var server = TlsChannelInfoConverter.FromSslStream(tls.Server, TypicalPolicy with
            {
                ChannelBindings = TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint | TlsChannelBindings.LocalCertificate,
            });
            return (client, server);
        }
        finally
        {
            tls.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
