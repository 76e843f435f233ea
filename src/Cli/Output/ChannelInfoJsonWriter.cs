using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CbbToolkit.Cli.Output;

/// <summary>Writes a report as exactly one JSON object on one line, keys in camelCase (README.md lists them).</summary>
internal static class ChannelInfoJsonWriter
{
    /// <summary>Returns the JSON line, without the line break.</summary>
    public static string Format(ChannelInfoReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("role", report.Role);
            json.WriteString("local", report.Local);
            json.WriteString("remote", report.Remote);
            json.WriteString("serverName", report.ServerName);
            json.WriteString("tlsVersion", report.TlsVersion);
            json.WriteString("cipherSuite", report.CipherSuite);
            json.WriteString("tlsExporter", report.TlsExporter);
            json.WriteString("tlsServerEndPoint", report.TlsServerEndPoint);
            json.WriteString("tlsUnique", report.TlsUnique);
            json.WriteBoolean("extendedMasterSecret", report.ExtendedMasterSecret);
            json.WriteString("peerCertificateSha256", report.PeerCertificateSha256);
            json.WriteString("peerSpkiSha256", report.PeerSpkiSha256);
            json.WriteString("peerSubject", report.PeerSubject);
            json.WriteString("localCertificateSha256", report.LocalCertificateSha256);
            json.WriteString("localSpkiSha256", report.LocalSpkiSha256);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
