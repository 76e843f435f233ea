using CbbToolkit.Channels;

namespace CbbToolkit.Cli.Output;

/// <summary>Writes a report as aligned <c>name  value</c> lines for people; absent values say why.</summary>
internal static class ChannelInfoTextWriter
{
    /// <summary>Returns the report's lines, each without the line break.</summary>
    public static IReadOnlyList<string> Format(ChannelInfoReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var isServer = report.Role == "server";
        var rows = new List<(string Name, string Value)>
        {
            ("role", report.Role),
            ("local", report.Local),
            ("remote", report.Remote),
            ("server-name", report.ServerName ?? (isServer ? "(client sent no SNI)" : "(none)")),
            ("tls-version", report.TlsVersion ?? "(unknown)"),
            ("cipher-suite", report.CipherSuite ?? "(unknown)"),
            ("tls-exporter", report.TlsExporter ?? Why(report, ChannelAttributeType.TlsExporter,
                report.TlsVersion == "1.2" && !report.ExtendedMasterSecret
                    ? "refused: TLS 1.2 without extended master secret, RFC 7627"
                    : "unavailable")),
            ("tls-server-end-point", report.TlsServerEndPoint ?? Why(report, ChannelAttributeType.TlsServerEndPoint,
                "undefined for this certificate's signature algorithm, or unavailable")),
            ("tls-unique", report.TlsUnique ?? Why(report, ChannelAttributeType.TlsUnique,
                report.TlsVersion == "1.3" ? "undefined for TLS 1.3, RFC 9266" : "unavailable")),
            ("extended-master-secret", report.ExtendedMasterSecret ? "yes" : "no"),
            ("peer-subject", report.PeerSubject ?? (isServer ? "(no client certificate)" : "(none)")),
            ("peer-certificate-sha256", report.PeerCertificateSha256 ?? "(none)"),
            ("peer-spki-sha256", report.PeerSpkiSha256 ?? "(none)"),
            ("local-certificate-sha256", report.LocalCertificateSha256 ?? "(none)"),
            ("local-spki-sha256", report.LocalSpkiSha256 ?? "(none)"),
        };
        var width = rows.Max(r => r.Name.Length) + 2;
        return rows.Select(r => r.Name.PadRight(width) + r.Value).ToList();
    }

    // The converter's own reason when it gave one (one line, without the final period), else ours.
    private static string Why(ChannelInfoReport report, ChannelAttributeType type, string fallback) =>
        "(" + (report.Omissions.TryGetValue(type, out var reason) ? reason.ReplaceLineEndings(" ").TrimEnd('.') : fallback) + ")";
}
