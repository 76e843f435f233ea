namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>How SAs are grouped for template matching: destination address and IPsec protocol (then reqid inside).</summary>
internal readonly record struct DestinationKey(AddressKey Destination, byte Protocol);
