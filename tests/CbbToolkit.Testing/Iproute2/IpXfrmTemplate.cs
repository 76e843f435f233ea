namespace CbbToolkit.Testing.Iproute2;

/// <summary>One <c>tmpl</c> of a policy as <c>ip xfrm policy</c> prints it.</summary>
/// <param name="Level">"required", or "use" for an optional template.</param>
public sealed record IpXfrmTemplate(string Source, string Destination, string Protocol, uint Spi, uint RequestId, string Mode, string Level)
{
    /// <summary>True for <c>level use</c>: the policy applies without this transform when there is no SA for it.</summary>
    public bool IsOptional => Level == "use";
}
