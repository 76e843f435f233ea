namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// Versions of the binding protocol (docs/binding-protocol.md). A version is never negotiated down: a side that
/// requires binding refuses any message whose version it does not support, and an absent version is not version 0.
/// </summary>
public enum BindingProtocolVersion : byte
{
    /// <summary>Version 1: HMAC-SHA256 proofs keyed from the TLS exporter "EXPORTER-CBB-IPsec-Binding-v1".</summary>
    V1 = 1,
}
