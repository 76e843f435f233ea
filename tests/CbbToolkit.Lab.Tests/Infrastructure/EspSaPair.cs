namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>The SPIs of the two SAs between the hosts of <see cref="TwoHosts"/>: A to B and B to A.</summary>
internal readonly record struct EspSaPair(uint SpiAToB, uint SpiBToA, uint Reqid);
