namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>The key of the exact policy index: a selector's source and destination when both prefixes are full.</summary>
internal readonly record struct HostPair(AddressKey Source, AddressKey Destination);
