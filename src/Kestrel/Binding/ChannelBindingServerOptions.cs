namespace CbbToolkit.Kestrel.Binding;

/// <summary>
/// Options of the binding exchange's server end over HTTPS (<c>app.UseChannelBinding()</c>,
/// docs/binding-protocol.md section 9.2): which plaintext endpoint to advertise to clients that bound.
/// </summary>
public sealed class ChannelBindingServerOptions
{
    /// <summary>The plaintext port bound clients may use on this host (sent as <c>CBB-Plaintext</c> with every new binding); null advertises none.</summary>
    public int? PlaintextPort { get; set; }

    /// <summary>How long the advertisement holds (<c>ma</c>). Default one day.</summary>
    public TimeSpan PlaintextMaxAge { get; set; } = TimeSpan.FromDays(1);
}
