namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>The kernel's identity of an SA: (daddr, SPI, protocol), and its mark (two SAs may differ by mark only).</summary>
internal readonly record struct SaId(AddressKey Destination, uint Spi, byte Protocol, uint MarkValue, uint MarkMask);
