namespace CbbToolkit.Channels.Bindings;

/// <summary>Which part of the protocol an event belongs to (a log field and a metric tag).</summary>
public enum BindingStage
{
    /// <summary>The first-contact exchange inside TLS.</summary>
    FirstContact = 1,
    /// <summary>A later connection proving an existing binding.</summary>
    Resume = 2,
}
