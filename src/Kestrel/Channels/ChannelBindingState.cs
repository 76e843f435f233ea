namespace CbbToolkit.Kestrel;

/// <summary>What the binding exchange did on a connection (docs/binding-protocol.md).</summary>
public enum ChannelBindingState
{
    /// <summary>No binding was asked for or proven.</summary>
    None = 0,

    /// <summary>A first-contact exchange over TLS created a binding for the principal the request authenticated.</summary>
    Created = 1,

    /// <summary>A later connection proved a binding: it is authenticated as the principal bound to it.</summary>
    Used = 2,

    /// <summary>A binding was asked for or presented and refused (see the reason).</summary>
    Refused = 3,
}
