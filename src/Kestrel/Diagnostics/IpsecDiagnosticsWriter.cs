using System.Globalization;
using System.Text.Json;
using CbbToolkit.Kestrel.Connections;

namespace CbbToolkit.Kestrel.Diagnostics;

/// <summary>
/// The diagnostics endpoint's JSON: one object per live connection with its channel (SPIs, reqid, peer id and auth
/// method), status and reason, latch and binding. Ids and SPIs only: no keys, no binding values.
/// </summary>
internal static class IpsecDiagnosticsWriter
{
    public static void Write(Utf8JsonWriter json, IEnumerable<ConnectionEntry> connections)
    {
        json.WriteStartObject();
        json.WriteStartArray("connections");
        foreach (var entry in connections.OrderBy(e => e.AcceptedAt))
        {
            WriteConnection(json, entry);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteConnection(Utf8JsonWriter json, ConnectionEntry entry)
    {
        IIpsecChannelFeature f = entry.Feature;
        json.WriteStartObject();
        json.WriteString("id", entry.Connection.ConnectionId);
        json.WriteString("local", entry.Connection.LocalEndPoint?.ToString());
        json.WriteString("remote", entry.Connection.RemoteEndPoint?.ToString());
        json.WriteString("acceptedAt", entry.AcceptedAt);
        json.WriteString("mode", f.Mode.ToString());
        json.WriteString("status", f.Status.ToString());
        json.WriteBoolean("verified", f.IsVerified);
        json.WriteString("reason", f.Reason);
        if (f.Channel is { } c)
        {
            json.WriteStartObject("channel");
            json.WriteString("protocol", c.Protocol.ToString().ToLowerInvariant());
            json.WriteString("mode", c.Mode.ToString().ToLowerInvariant());
            json.WriteString("outboundSpi", Hex(c.Outbound.Spi));
            json.WriteString("inboundSpi", Hex(c.Inbound.Spi));
            json.WriteNumber("reqid", c.Outbound.RequestId);
            json.WriteString("peerId", c.Peer?.RemoteId);
            json.WriteString("peerAuth", c.Peer?.AuthenticationMethod.ToString());
            json.WriteString("peerStatus", c.PeerStatus.ToString());
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("channel");
        }

        if (f.Latch is { } latch)
        {
            json.WriteStartObject("latch");
            json.WriteNumber("id", latch.Id);
            json.WriteString("state", f.LatchState?.ToString());
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("latch");
        }

        if (entry.Connection.Features.Get<IChannelBindingFeature>() is { } binding)
        {
            json.WriteStartObject("binding");
            json.WriteString("state", binding.State.ToString());
            json.WriteString("id", binding.BindingId?.ToString());
            json.WriteString("principal", binding.Principal?.ToString());
            json.WriteString("failure", binding.FailureReason?.ToString());
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("binding");
        }

        json.WriteEndObject();
    }

    private static string Hex(uint spi) => "0x" + spi.ToString("x8", CultureInfo.InvariantCulture);
}
