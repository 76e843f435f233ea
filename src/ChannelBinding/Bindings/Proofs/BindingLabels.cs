namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// Every label of binding protocol v1 (docs/binding-protocol.md, "Key derivation"). ASCII, no terminator. Each key
/// has its own label, so that no value computed for one purpose (or one role) verifies as another.
/// </summary>
internal static class BindingLabels
{
    /// <summary>The TLS exporter label (RFC 5705 / RFC 8446 section 7.5), with the empty context, 32 octets.</summary>
    public const string Exporter = "EXPORTER-CBB-IPsec-Binding-v1";

    public static ReadOnlySpan<byte> ExporterBytes => "EXPORTER-CBB-IPsec-Binding-v1"u8;

    /// <summary>HKDF-Extract salt for first contact (input keying material: the exporter value).</summary>
    public static ReadOnlySpan<byte> FirstContactSalt => "CBB-IPsec-Binding-v1 first contact"u8;

    public static ReadOnlySpan<byte> ClientFirstContactProof => "cbb v1 client first-contact proof key"u8;

    public static ReadOnlySpan<byte> ServerFirstContactProof => "cbb v1 server first-contact proof key"u8;

    /// <summary>HKDF-Expand info prefix of the binding secret; the 16-octet binding id follows it.</summary>
    public static ReadOnlySpan<byte> BindingSecret => "cbb v1 binding secret"u8;

    /// <summary>HKDF-Extract salt for later connections (input keying material: the binding secret).</summary>
    public static ReadOnlySpan<byte> ResumeSalt => "CBB-IPsec-Binding-v1 resume"u8;

    public static ReadOnlySpan<byte> ClientResumeProof => "cbb v1 client resume proof key"u8;

    public static ReadOnlySpan<byte> ServerResumeProof => "cbb v1 server resume proof key"u8;
}
