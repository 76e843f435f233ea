using System.Net.Sockets;
using System.Text.Json;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Cli.Output;

/// <summary>
/// The JSON of <c>cbb xfrm</c>: policies, SAs (names of algorithms, never keys) and monitor events, keys in camelCase
/// (README.md lists them).
/// </summary>
internal static class XfrmJson
{
    /// <summary>A JSON array of policies on one line.</summary>
    public static string Policies(IEnumerable<XfrmPolicy> policies) => JsonLine.Format(json =>
    {
        json.WriteStartArray();
        foreach (var policy in policies)
        {
            json.WriteStartObject();
            WritePolicyFields(json, policy);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    /// <summary>A JSON array of SAs on one line.</summary>
    public static string States(IEnumerable<XfrmState> states) => JsonLine.Format(json =>
    {
        json.WriteStartArray();
        foreach (var state in states)
        {
            json.WriteStartObject();
            WriteStateFields(json, state);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    /// <summary>One monitor event as one JSON object: "type" and the fields of its SA, policy or acquire.</summary>
    public static string Event(XfrmEvent e) => JsonLine.Format(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", XfrmEventNames.Type(e));
        switch (e)
        {
            case XfrmPolicyEvent p:
                WritePolicyFields(json, p.Policy);
                break;
            case XfrmStateEvent s:
                WriteStateFields(json, s.State);
                break;
            case XfrmExpireEvent x:
                json.WriteBoolean("hard", x.IsHard);
                WriteStateFields(json, x.State);
                break;
            case XfrmPolicyExpireEvent x:
                json.WriteBoolean("hard", x.IsHard);
                WritePolicyFields(json, x.Policy);
                break;
            case XfrmAcquireEvent a:
                json.WriteString("src", a.Source.ToString());
                json.WriteString("dst", a.Destination.ToString());
                json.WriteString("proto", XfrmNames.Protocol(a.Protocol));
                json.WriteNumber("seq", a.Sequence);
                json.WritePropertyName("selector");
                WriteSelector(json, a.Selector, a.Destination.AddressFamily);
                json.WritePropertyName("policy");
                json.WriteStartObject();
                WritePolicyFields(json, a.Policy);
                json.WriteEndObject();
                break;
            case XfrmFlushEvent f when !f.IsPolicyFlush:
                json.WriteString("proto", f.Protocol is { } proto and not 0 ? XfrmNames.Protocol(proto) : null);
                break;
            case XfrmOtherEvent o:
                json.WriteNumber("messageType", o.MessageType);
                break;
        }

        json.WriteEndObject();
    });

    /// <summary>The fields of a policy (without the enclosing braces).</summary>
    public static void WritePolicyFields(Utf8JsonWriter json, XfrmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(policy);
        var s = policy.Selector;
        json.WriteString("dir", XfrmNames.Direction(policy.Direction));
        json.WriteString("src", XfrmNames.SourceCidr(s, AddressFamily.InterNetwork));
        json.WriteString("dst", XfrmNames.DestinationCidr(s, AddressFamily.InterNetwork));
        json.WriteString("proto", XfrmNames.UpperProtocol(s.Protocol));
        json.WriteNumber("sport", XfrmNames.SourcePort(s));
        json.WriteNumber("dport", XfrmNames.DestinationPort(s));
        json.WriteNumber("priority", policy.Priority);
        json.WriteNumber("index", policy.Index);
        json.WriteString("action", XfrmNames.Action(policy.Action));
        json.WriteStartArray("templates");
        foreach (var t in policy.Templates)
        {
            json.WriteStartObject();
            json.WriteString("proto", XfrmNames.Protocol(t.Protocol));
            json.WriteString("mode", XfrmNames.Mode(t.Mode));
            json.WriteNumber("reqid", t.RequestId);
            json.WriteString("src", t.Source.ToString());
            json.WriteString("dst", t.Destination.ToString());
            json.WriteBoolean("optional", t.IsOptional);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("mark", policy.Mark is { } m ? $"0x{m.Value:x}/0x{m.Mask:x}" : null);
        json.WriteNumberOrNull("ifId", policy.InterfaceId);
    }

    /// <summary>The fields of an SA (without the enclosing braces). Keys are never read.</summary>
    public static void WriteStateFields(Utf8JsonWriter json, XfrmState state)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(state);
        json.WriteString("src", state.Source.ToString());
        json.WriteString("dst", state.Destination.ToString());
        json.WriteString("proto", XfrmNames.Protocol(state.Protocol));
        json.WriteString("spi", XfrmNames.Spi(state.Spi));
        json.WriteNumber("reqid", state.RequestId);
        json.WriteString("mode", XfrmNames.Mode(state.Mode));
        json.WritePropertyName("selector");
        WriteSelector(json, state.Selector, state.Family);
        json.WriteStrings("algorithms", XfrmNames.Algorithms(state));
        json.WriteNumber("bytes", state.Current.Bytes);
        json.WriteNumber("packets", state.Current.Packets);
        json.WriteString("encap", state.Encapsulation is { } e ? $"{XfrmEventNames.Encapsulation(e.Type)} {e.SourcePort}->{e.DestinationPort}" : null);
        json.WriteString("mark", state.Mark is { } m ? $"0x{m.Value:x}/0x{m.Mask:x}" : null);
        json.WriteNumberOrNull("ifId", state.InterfaceId);
    }

    private static void WriteSelector(Utf8JsonWriter json, XfrmSelector s, AddressFamily family)
    {
        json.WriteStartObject();
        json.WriteString("src", XfrmNames.SourceCidr(s, family));
        json.WriteString("dst", XfrmNames.DestinationCidr(s, family));
        json.WriteString("proto", XfrmNames.UpperProtocol(s.Protocol));
        json.WriteNumber("sport", XfrmNames.SourcePort(s));
        json.WriteNumber("dport", XfrmNames.DestinationPort(s));
        json.WriteEndObject();
    }
}
