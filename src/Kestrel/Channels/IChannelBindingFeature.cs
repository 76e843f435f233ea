using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Kestrel;

/// <summary>
/// The channel binding of one connection: created on it (first contact over TLS), proven on it (a later connection), or
/// refused. Set on the connection's features by the binding exchange's server end; absent where no exchange runs.
/// </summary>
public interface IChannelBindingFeature
{
    /// <summary>What the exchange did on this connection.</summary>
    ChannelBindingState State { get; }

    /// <summary>The binding's id when one was created or used; not a secret.</summary>
    BindingId? BindingId { get; }

    /// <summary>The principal bound to the binding, when <see cref="State"/> is <see cref="ChannelBindingState.Used"/> or <see cref="ChannelBindingState.Created"/>.</summary>
    BoundPrincipal? Principal { get; }

    /// <summary>Why the binding was refused, when it was.</summary>
    BindingFailureReason? FailureReason { get; }
}
