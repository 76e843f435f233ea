using Org.BouncyCastle.Tls;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>The channel bindings BouncyCastle's TLS stack exported inside NotifyHandshakeComplete (null = it exported none).</summary>
internal sealed record BcChannelBindings(byte[]? Exporter, byte[]? ServerEndPoint, byte[]? Unique, bool ExtendedMasterSecret, ProtocolVersion Version)
{
    /// <summary>The binding protocol's exporter (label EXPORTER-CBB-IPsec-Binding-v1, empty context, 32 octets), or null when refused.</summary>
    public byte[]? CbbBindingExporter { get; init; }

    /// <summary>Exports every binding type; only valid inside NotifyHandshakeComplete (BouncyCastle clears the secrets after).</summary>
    public static BcChannelBindings Export(TlsContext context) => new(
        TryExport(context, Org.BouncyCastle.Tls.ChannelBinding.tls_exporter),
        TryExport(context, Org.BouncyCastle.Tls.ChannelBinding.tls_server_end_point),
        TryExport(context, Org.BouncyCastle.Tls.ChannelBinding.tls_unique),
        context.SecurityParameters.IsExtendedMasterSecret,
        context.ServerVersion)
    {
        CbbBindingExporter = TryExportKeyingMaterial(context, "EXPORTER-CBB-IPsec-Binding-v1"),
    };

    // An empty (not null) context: use_context with length 0, as the binding protocol specifies.
    private static byte[]? TryExportKeyingMaterial(TlsContext context, string label)
    {
        try
        {
            return context.ExportKeyingMaterial(label, [], 32);
        }
        catch (Exception e) when (e is InvalidOperationException or TlsFatalAlert or ArgumentException)
        {
            return null;
        }
    }

    private static byte[]? TryExport(TlsContext context, int type)
    {
        try
        {
            return context.ExportChannelBinding(type);
        }
        catch (Exception e) when (e is InvalidOperationException or TlsFatalAlert or ArgumentException)
        {
            return null; // BouncyCastle refuses, e.g. tls-exporter on TLS 1.2 without extended master secret
        }
    }
}
