using System.Net.Security;
using System.Text;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// TLS exporters (RFC 5705, RFC 8446 section 7.5) and the RFC 9266 tls-exporter channel binding of an authenticated
/// <see cref="SslStream"/>, gated by the start-up self-test (<see cref="TlsExporterSupport"/>) and by the rule that TLS 1.2
/// and earlier need extended master secret (RFC 7627, RFC 9266 section 4.2).
/// </summary>
internal static class TlsKeyingMaterial
{
    /// <summary>The RFC 9266 exporter label.</summary>
    internal const string ChannelBindingLabel = "EXPORTER-Channel-Binding";

    /// <summary>The RFC 9266 exporter length in octets.</summary>
    internal const int ChannelBindingLength = 32;

    /// <summary>The longest export this API allows (OpenSSL takes more; nothing here needs it).</summary>
    internal const int MaxLength = 1024;

    private static ReadOnlySpan<byte> ChannelBindingLabelBytes => "EXPORTER-Channel-Binding"u8;

    /// <summary>The RFC 9266 tls-exporter value: label EXPORTER-Channel-Binding, empty context, 32 octets.</summary>
    /// <exception cref="IpsecException">
    /// NotSupported on TLS 1.2 or earlier without extended master secret; NotConnected for a stream with no session;
    /// ProtocolOptionUnavailable or NotSupported when the exporter does not work on this runtime.
    /// </exception>
    internal static byte[] ExportChannelBinding(SslStream stream) =>
        TryExportChannelBinding(stream, out var reason) ?? throw new IpsecException(IpsecError.NotSupported, reason!);

    /// <summary>
    /// The RFC 9266 tls-exporter value, or null with the reason when it is undefined for this session (TLS 1.2 or
    /// earlier without extended master secret).
    /// </summary>
    /// <exception cref="IpsecException">When the exporter does not work on this runtime, or the stream has no session.</exception>
    internal static byte[]? TryExportChannelBinding(SslStream stream, out string? reason)
    {
        var output = new byte[ChannelBindingLength];
        return TryExport(stream, ChannelBindingLabelBytes, output, out reason) ? output : null;
    }

    /// <summary>
    /// An exporter with any label, the empty context (use_context=1, length 0, as RFC 9266) and the same rules as
    /// tls-exporter: TLS 1.3, or TLS 1.2 with extended master secret. Writes into <paramref name="output"/> (its
    /// length is the export length) so that callers can keep secrets in buffers they zero; false with the reason when
    /// the exporter is undefined for the session.
    /// </summary>
    /// <exception cref="IpsecException">When the exporter does not work on this runtime, or the stream has no session;
    /// InvalidArgument for an empty or non-ASCII label or a length outside 1 to <see cref="MaxLength"/>.</exception>
    internal static bool TryExport(SslStream stream, ReadOnlySpan<byte> label, Span<byte> output, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (label.IsEmpty || !Ascii.IsValid(label) || output.Length is < 1 or > MaxLength)
        {
            throw new IpsecException(IpsecError.InvalidArgument, $"An exporter label must be non-empty ASCII and the length 1 to {MaxLength} octets.");
        }

        var version = TlsWireVersion.Of(stream);
        TlsExporterSupport.Current.ThrowIfUnavailable();
        if (version == 0)
        {
            reason = $"TLS exporters are undefined for {stream.SslProtocol}.";
            return false;
        }

        if (version < TlsWireVersion.Tls13 && OpenSslSession.GetExtendedMasterSecret(stream) != 1)
        {
            reason = "TLS exporters are not unique to the session on TLS 1.2 and earlier without extended master secret " +
                "(RFC 7627, RFC 9266 section 4.2); enable extended master secret on the peer or use TLS 1.3.";
            return false;
        }

        reason = null;
        if (!OpenSslSession.ExportKeyingMaterial(stream, output, label, [], useContext: true))
        {
            throw new IpsecException(IpsecError.NotSupported, "OpenSSL refused to export keying material for this session.");
        }

        return true;
    }

    /// <summary>
    /// A raw RFC 5705 export with any label and context, without the extended-master-secret rule (for cross-checks
    /// with tools such as <c>openssl s_client -keymatexport</c>, which passes no context: <paramref name="useContext"/> false).
    /// </summary>
    /// <exception cref="IpsecException">InvalidArgument for a bad label, context or length; as <see cref="ExportChannelBinding"/> otherwise.</exception>
    internal static byte[] Export(SslStream stream, string label, ReadOnlySpan<byte> context, bool useContext, int length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length == 0 || !Ascii.IsValid(label))
        {
            throw new IpsecException(IpsecError.InvalidArgument, "An exporter label must be non-empty ASCII (RFC 5705 section 4).");
        }

        if (length is < 1 or > MaxLength || context.Length > ushort.MaxValue || (!useContext && !context.IsEmpty))
        {
            throw new IpsecException(IpsecError.InvalidArgument,
                $"Exporter length must be 1 to {MaxLength} octets and the context at most {ushort.MaxValue} octets (and empty without use_context).");
        }

        _ = TlsWireVersion.Of(stream);
        TlsExporterSupport.Current.ThrowIfUnavailable();
        return ExportUnchecked(stream, Encoding.ASCII.GetBytes(label), context, useContext, length);
    }

    /// <summary>
    /// Whether extended master secret protects the session: true on TLS 1.3 (its key schedule binds every secret to
    /// the handshake transcript, RFC 8446 section 7.1, which is what RFC 7627 retrofits to 1.2); OpenSSL's flag on 1.2
    /// and earlier; null when the exporter path does not work here and the flag cannot be read.
    /// </summary>
    internal static bool? GetExtendedMasterSecret(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (TlsWireVersion.Of(stream) == TlsWireVersion.Tls13)
        {
            return true;
        }

        return TlsExporterSupport.Current.IsAvailable ? OpenSslSession.GetExtendedMasterSecret(stream) == 1 : null;
    }

    /// <summary>The RFC 9266 value with no checks at all: only for the self-test and after the checks above.</summary>
    internal static byte[] ExportChannelBindingUnchecked(SslStream stream) =>
        ExportUnchecked(stream, ChannelBindingLabelBytes, [], useContext: true, ChannelBindingLength);

    private static byte[] ExportUnchecked(SslStream stream, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, bool useContext, int length)
    {
        var output = new byte[length];
        return OpenSslSession.ExportKeyingMaterial(stream, output, label, context, useContext)
            ? output
            : throw new IpsecException(IpsecError.NotSupported, "OpenSSL refused to export keying material for this session.");
    }
}
