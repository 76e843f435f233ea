using Microsoft.AspNetCore.Connections;

namespace CbbToolkit.Kestrel.Connections;

/// <summary>A live connection the middleware checked: what the diagnostics endpoint lists and a latch alert aborts.</summary>
internal sealed record ConnectionEntry(ConnectionContext Connection, IpsecChannelFeature Feature, string Endpoint, DateTimeOffset AcceptedAt);
