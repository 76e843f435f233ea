namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// One line of <c>whack --trafficstatus</c>: <c>#2: "null", type=ESP, add_time=..., inBytes=0, outBytes=0, ..., id='ID_NULL'</c>.
/// </summary>
/// <param name="Serial">The child SA's state serial.</param>
/// <param name="Connection">Its connection.</param>
/// <param name="Type">ESP or AH.</param>
/// <param name="InBytes">Bytes received on it, as pluto read them from the kernel.</param>
/// <param name="OutBytes">Bytes sent on it.</param>
/// <param name="Id">The peer's IKE identity as printed (ID_NULL under RFC 7619 NULL authentication).</param>
public sealed record WhackTraffic(int Serial, string Connection, string Type, long InBytes, long OutBytes, string? Id);
