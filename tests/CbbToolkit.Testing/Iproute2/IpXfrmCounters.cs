namespace CbbToolkit.Testing.Iproute2;

/// <summary>An SA's <c>lifetime current</c> byte and packet counters as <c>ip -s xfrm state</c> prints them.</summary>
public readonly record struct IpXfrmCounters(long Bytes, long Packets);
