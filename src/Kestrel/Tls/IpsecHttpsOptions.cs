namespace CbbToolkit.Kestrel.Tls;

/// <summary>
/// Per HTTPS endpoint: whether a connection whose IPsec channel is verified, with a trusted IKE peer, is accepted without
/// a TLS client certificate because the application takes the IPsec peer as its principal
/// (see <c>ListenOptions.UseHttpsWithIpsecPeer</c>). Whether the IKE identity is enough is the application's decision:
/// the default asks every connection for a certificate as configured.
/// </summary>
public sealed class IpsecHttpsOptions
{
    /// <summary>
    /// When true, a connection whose <see cref="IIpsecChannelFeature.IsVerified"/> is true (and that
    /// <see cref="AcceptPeer"/> accepts) is not asked for a client certificate. Default false: every connection is asked
    /// as the HTTPS options say.
    /// </summary>
    public bool AcceptIpsecPeerAsPrincipal { get; set; }

    /// <summary>
    /// Narrows which verified peers are accepted without a certificate (e.g. an IKE id pattern); null accepts every
    /// verified peer. Called during the TLS handshake: keep it fast and side-effect free.
    /// </summary>
    public Func<IIpsecChannelFeature, bool>? AcceptPeer { get; set; }
}
