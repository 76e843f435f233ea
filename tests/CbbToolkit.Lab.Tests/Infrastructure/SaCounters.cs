namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>An SA's "lifetime current" byte and packet counters as the kernel reports them.</summary>
internal readonly record struct SaCounters(long Bytes, long Packets);
