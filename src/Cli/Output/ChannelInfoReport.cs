using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Cli.Net;

namespace CbbToolkit.Cli.Output;

/// <summary>
/// What <c>cbb</c> prints about one connection: the channel info the converter computed, flattened into display values
/// (hex strings, names), with the connection's end points. One model feeds both the JSON and the text writer.
/// </summary>
internal sealed record ChannelInfoReport
{
    /// <summary>"client" or "server": which end computed the values.</summary>
    public required string Role { get; init; }

    /// <summary>The local end point, e.g. <c>127.0.0.1:50312</c>.</summary>
    public required string Local { get; init; }

    /// <summary>The remote end point.</summary>
    public required string Remote { get; init; }

    /// <summary>The server name: the client's target host, or the SNI the server received; null when none.</summary>
    public string? ServerName { get; init; }

    /// <summary>"1.2" or "1.3", or null when unknown.</summary>
    public string? TlsVersion { get; init; }

    /// <summary>The IANA name of the cipher suite, e.g. TLS_AES_256_GCM_SHA384.</summary>
    public string? CipherSuite { get; init; }

    /// <summary>tls-exporter (RFC 9266) in lower-case hex, or null.</summary>
    public string? TlsExporter { get; init; }

    /// <summary>tls-server-end-point (RFC 5929) in lower-case hex, or null.</summary>
    public string? TlsServerEndPoint { get; init; }

    /// <summary>tls-unique (RFC 5929, TLS 1.2 only) in lower-case hex, or null.</summary>
    public string? TlsUnique { get; init; }

    /// <summary>
    /// Whether extended master secret (RFC 7627) protects the session. TLS 1.3 always binds its secrets to the
    /// handshake transcript (RFC 8446 section 7.1), so it counts as true there when the converter does not say.
    /// </summary>
    public bool ExtendedMasterSecret { get; init; }

    /// <summary>SHA-256 of the peer's DER certificate in hex, or null when the peer sent none.</summary>
    public string? PeerCertificateSha256 { get; init; }

    /// <summary>SHA-256 of the peer's DER SubjectPublicKeyInfo in hex, or null.</summary>
    public string? PeerSpkiSha256 { get; init; }

    /// <summary>The peer certificate's subject, or null.</summary>
    public string? PeerSubject { get; init; }

    /// <summary>SHA-256 of the local DER certificate in hex, or null.</summary>
    public string? LocalCertificateSha256 { get; init; }

    /// <summary>SHA-256 of the local DER SubjectPublicKeyInfo in hex, or null.</summary>
    public string? LocalSpkiSha256 { get; init; }

    /// <summary>Why the converter left out attributes it was asked for (e.g. tls-unique on TLS 1.3), for the text form.</summary>
    public IReadOnlyDictionary<ChannelAttributeType, string> Omissions { get; init; } = new Dictionary<ChannelAttributeType, string>();

    /// <summary>Builds the report of a connection from its channel info and the converter's omissions.</summary>
    public static ChannelInfoReport Create(ChannelInfo info, ChannelRole role, EndPoint? local, EndPoint? remote, string? serverName,
        IReadOnlyList<ChannelInfoOmission>? omissions = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        var version = info.TlsVersion switch
        {
            SslProtocols.Tls12 => "1.2",
            SslProtocols.Tls13 => "1.3",
            _ => null,
        };
        var peerCertificate = info.GetBytes(ChannelAttributeType.PeerCertificate);
        var localCertificate = info.GetBytes(ChannelAttributeType.LocalCertificate);
        return new ChannelInfoReport
        {
            Role = role == ChannelRole.Server ? "server" : "client",
            Local = HostPort.Format(local),
            Remote = HostPort.Format(remote),
            ServerName = string.IsNullOrEmpty(serverName) ? null : serverName,
            TlsVersion = version,
            CipherSuite = info.CipherSuite is { } suite ? CipherSuiteName(suite) : null,
            TlsExporter = Hex(info.GetBytes(ChannelAttributeType.TlsExporter)),
            TlsServerEndPoint = Hex(info.GetBytes(ChannelAttributeType.TlsServerEndPoint)),
            TlsUnique = Hex(info.GetBytes(ChannelAttributeType.TlsUnique)),
            ExtendedMasterSecret = info.UsesExtendedMasterSecret ?? version == "1.3",
            PeerCertificateSha256 = peerCertificate is null ? null : Hex(SHA256.HashData(peerCertificate)),
            PeerSpkiSha256 = Hex(info.GetBytes(ChannelAttributeType.PeerSpkiSha256)),
            PeerSubject = SubjectOf(peerCertificate),
            LocalCertificateSha256 = localCertificate is null ? null : Hex(SHA256.HashData(localCertificate)),
            LocalSpkiSha256 = Hex(info.GetBytes(ChannelAttributeType.LocalSpkiSha256)),
            Omissions = (omissions ?? []).GroupBy(o => o.Type).ToDictionary(g => g.Key, g => g.First().Reason),
        };
    }

    /// <summary>The IANA name of a cipher suite, or its code point in hex when .NET has no name for it.</summary>
    public static string CipherSuiteName(TlsCipherSuite suite) =>
        Enum.IsDefined(suite) ? suite.ToString() : "0x" + ((ushort)suite).ToString("x4", CultureInfo.InvariantCulture);

    private static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);

    private static string? SubjectOf(byte[]? der)
    {
        if (der is null)
        {
            return null;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return certificate.Subject;
        }
        catch (CryptographicException)
        {
            return null; // Shown as absent; the hashes still identify the certificate.
        }
    }
}
