namespace CbbToolkit.Testing.Iproute2;

/// <summary>
/// An SA as <c>ip xfrm state</c> prints it, without its keys: algorithms by name only, so a parsed SA can go into a
/// failure message. <see cref="Sequence"/>, <see cref="HardAddSeconds"/> and <see cref="Current"/> need <c>ip -s</c>.
/// </summary>
/// <param name="Spi">The SPI (0 for a larval SA, the kernel waiting for key management).</param>
/// <param name="Sequence">The ACQUIRE sequence number (iproute2 prints it as <c>0x%08u</c>: decimal digits behind "0x").</param>
/// <param name="Algorithms">The algorithm names in ip's order (<c>auth-trunc</c> before <c>enc</c>), e.g. "rfc4106(gcm(aes))".</param>
/// <param name="Encapsulation">The <c>encap</c> line after "type", e.g. "espinudp sport 4500 dport 4501 addr ::", or null.</param>
/// <param name="HardAddSeconds">The hard add-expiry in seconds (0 = none).</param>
public sealed record IpXfrmState(string Source, string Destination, string Protocol, uint Spi, uint RequestId, string Mode,
    int ReplayWindow, uint? Sequence, string? Mark, uint? InterfaceId, ValueList<string> Algorithms, string? Encapsulation,
    IpXfrmSelector Selector, ulong? HardAddSeconds, IpXfrmCounters? Current);
