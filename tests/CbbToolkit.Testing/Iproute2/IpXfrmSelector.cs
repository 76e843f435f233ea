namespace CbbToolkit.Testing.Iproute2;

/// <summary>
/// A selector as <c>ip xfrm</c> prints it: <c>src A/N dst B/N [proto P] [sport N] [dport N] [dev D]</c>, the head line
/// of a policy or the <c>sel</c> line of an SA.
/// </summary>
/// <param name="Protocol">ip's name for it (tcp, udp, icmp, ...), or null when the selector matches any protocol.</param>
/// <param name="SourcePort">The source port, or for ICMP the type (the kernel keeps it in the same field); null when
/// ip printed none (a zero mask).</param>
/// <param name="DestinationPort">The destination port, or for ICMP the code; null when ip printed none.</param>
/// <param name="Device">The interface the selector is bound to, or null.</param>
public sealed record IpXfrmSelector(string Source, string Destination, string? Protocol = null, int? SourcePort = null,
    int? DestinationPort = null, string? Device = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"src {Source} dst {Destination}" + (Protocol is null ? "" : $" proto {Protocol}") +
        (SourcePort is { } s ? $" sport {s}" : "") + (DestinationPort is { } d ? $" dport {d}" : "") +
        (Device is null ? "" : $" dev {Device}");
}
