using System.Security.Cryptography;
using System.Text.Json;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Cli.Net;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Cli.Output;

/// <summary>The JSON of <c>cbb ipsec channel</c>: one object on one line, keys in camelCase (README.md lists them).</summary>
internal static class IpsecChannelJson
{
    /// <summary>Formats a resolution, with the channel's binding values when it has them.</summary>
    public static string Format(IpsecChannelResolution resolution, IpsecChannelConversion? bindings = null) => JsonLine.Format(json =>
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var flow = resolution.Flow;
        var channel = resolution.Channel;
        json.WriteStartObject();
        json.WriteString("local", HostPort.Format(flow.Local));
        json.WriteString("remote", HostPort.Format(flow.Remote));
        json.WriteString("proto", XfrmNames.UpperProtocol(flow.Protocol));
        json.WriteBoolean("protected", channel is not null);
        json.WriteString("reason", channel is null ? XfrmNames.Kebab(resolution.Reason) : null);
        json.WriteString("message", resolution.Message);
        WriteSa(json, "outbound", channel?.Outbound);
        WriteSa(json, "inbound", channel?.Inbound);
        if (channel is null)
        {
            json.WriteNull("qopIndeterminate");
        }
        else
        {
            json.WriteBoolean("qopIndeterminate", channel.IsQopIndeterminate);
        }

        WritePeer(json, channel?.Peer);
        json.WriteString("peerStatus", channel is null ? "not-queried" : XfrmNames.Kebab(channel.PeerStatus));
        json.WriteString("peerReason", IpsecChannelText.PeerReason(resolution));
        WriteBinding(json, "ipsecEndPointSha256", bindings?.EndPoint);
        WriteBinding(json, "ipsecSaBinding", bindings?.SaBinding);
        json.WriteEndObject();
    });

    private static void WriteSa(Utf8JsonWriter json, string name, IpsecSaInfo? sa)
    {
        if (sa is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("spi", XfrmNames.Spi(sa.Spi));
        json.WriteString("proto", XfrmNames.Protocol(sa.Protocol));
        json.WriteString("mode", XfrmNames.Mode(sa.Mode));
        json.WriteNumber("reqid", sa.RequestId);
        json.WriteString("src", sa.Source.ToString());
        json.WriteString("dst", sa.Destination.ToString());
        json.WriteStrings("algorithms", sa.AlgorithmNames());
        json.WriteNumber("bytes", sa.Current.Bytes);
        json.WriteNumber("packets", sa.Current.Packets);
        json.WriteString("encap", sa.Encapsulation is { } e ? $"{XfrmEventNames.Encapsulation(e.Type)} {e.SourcePort}->{e.DestinationPort}" : null);
        json.WriteEndObject();
    }

    private static void WritePeer(Utf8JsonWriter json, IpsecPeer? peer)
    {
        if (peer is null)
        {
            json.WriteNull("peer");
            return;
        }

        json.WriteStartObject("peer");
        json.WriteString("ikeId", peer.RemoteId);
        json.WriteString("localId", peer.LocalId);
        json.WriteString("authMethod", XfrmNames.AuthMethod(peer.AuthenticationMethod));
        json.WriteString("remoteHost", peer.RemoteHost?.ToString());
        json.WriteNumberOrNull("ikeSaUniqueId", peer.IkeSaUniqueId);
        json.WriteNumberOrNull("childSaUniqueId", peer.ChildSaUniqueId);
        json.WriteString("publicKeySha256", Sha256(peer.PublicKey));
        json.WriteString("certificateSha256", Sha256(peer.Certificate));
        json.WriteString("source", peer.Source);
        json.WriteEndObject();
    }

    // The value in lower-case hex, or null with a kebab-case reason and the message; "not-protected" without a channel.
    private static void WriteBinding(Utf8JsonWriter json, string name, IpsecBindingResult? result)
    {
        json.WriteString(name, result?.Value is { } v ? Convert.ToHexStringLower(v.Span) : null);
        json.WriteString(name + "Reason", result is null ? "not-protected" : result.Absence is { } a ? XfrmNames.Kebab(a) : null);
        json.WriteString(name + "Message", result is null ? "the flow is not protected by IPsec" : result.Message);
    }

    private static string? Sha256(ReadOnlyMemory<byte>? der) =>
        der is { } bytes ? Convert.ToHexStringLower(SHA256.HashData(bytes.Span)) : null;
}
