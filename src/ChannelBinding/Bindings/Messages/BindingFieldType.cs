namespace CbbToolkit.Channels.Bindings.Messages;

/// <summary>The field types of binding protocol v1 (one octet on the wire; fields appear in ascending order).</summary>
internal enum BindingFieldType : byte
{
    Covered = 1,
    Proof = 2,
    BindingId = 3,
    Lifetime = 4,
    Reason = 5,
    Nonce = 6,
}
