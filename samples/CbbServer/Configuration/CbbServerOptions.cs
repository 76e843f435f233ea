namespace CbbServer.Configuration;

/// <summary>
/// The server's settings: section "CbbServer" of appsettings.json, or the command line (<see cref="CommandLine"/>), with
/// the same keys.
/// </summary>
public sealed class CbbServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CbbServer";

    /// <summary>Plaintext HTTP endpoints (IP:PORT) that serve verified IPsec channels only.</summary>
    public List<string> Plaintext { get; set; } = [];

    /// <summary>The HTTPS endpoint (IP:PORT), or null for none.</summary>
    public string? Tls { get; set; }

    /// <summary>The server certificate (PEM), with <see cref="Tls"/>.</summary>
    public string? Cert { get; set; }

    /// <summary>The server certificate's private key (PEM), with <see cref="Tls"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The CA (PEM) whose client certificates authenticate on the TLS endpoint; none: no client certificate authenticates.</summary>
    public string? ClientCa { get; set; }

    /// <summary>On the TLS endpoint, accept a verified IPsec peer as the principal: such a client is not asked for a certificate.</summary>
    public bool IpsecPrincipal { get; set; }

    /// <summary>
    /// IKE ids (<c>*</c> patterns) of proxies whose forwarded identity headers (CBB-Identity, Client-Cert) this server
    /// accepts, over a verified IPsec channel only; from anyone else they are removed. Empty: accepted from no one.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>strongSwan's VICI socket (unix:///path), for the IKE peer of each channel; null: the library's default.</summary>
    public string? Vici { get; set; }
}
