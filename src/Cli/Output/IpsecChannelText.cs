using System.Globalization;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Cli.Net;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Cli.Output;

/// <summary>The text form of <c>cbb ipsec channel</c>: aligned <c>name  value</c> lines.</summary>
internal static class IpsecChannelText
{
    /// <summary>The lines, each without the line break.</summary>
    public static IReadOnlyList<string> Format(IpsecChannelResolution resolution, IpsecChannelConversion? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var flow = resolution.Flow;
        var rows = new List<(string Name, string Value)>
        {
            ("flow", $"{XfrmNames.UpperProtocol(flow.Protocol) ?? "any"} {HostPort.Format(flow.Local)} -> {HostPort.Format(flow.Remote)}"),
        };
        if (resolution.Channel is not { } channel)
        {
            rows.Add(("protected", "no"));
            rows.Add(("reason", XfrmNames.Kebab(resolution.Reason)));
            rows.Add(("details", resolution.Message));
        }
        else
        {
            rows.Add(("protected", "yes"));
            rows.Add(("outbound", Sa(channel.Outbound)));
            rows.Add(("inbound", Sa(channel.Inbound)));
            rows.Add(("qop", channel.IsQopIndeterminate
                ? "indeterminate (the SAs may carry other flows too, RFC 5660 2.1)"
                : "determinate (the SAs carry this 5-tuple only)"));
            rows.Add(("peer", channel.Peer is { } p ? Peer(p) : $"({XfrmNames.Kebab(channel.PeerStatus)}: {PeerReason(resolution)})"));
            if (bindings is not null)
            {
                rows.Add(("ipsec-end-point-sha256", Binding(bindings.EndPoint)));
                rows.Add(("ipsec-sa-binding", Binding(bindings.SaBinding)));
            }
        }

        var width = rows.Max(r => r.Name.Length) + 2;
        return rows.Select(r => r.Name.PadRight(width) + r.Value).ToList();
    }

    /// <summary>Why there is no peer: the resolver's message, or that an unprotected flow has none to look up.</summary>
    public static string? PeerReason(IpsecChannelResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return resolution.Channel switch
        {
            null => "the flow is not protected, so there is no IKE peer to look up",
            { Peer: not null } => null,
            var c => c.PeerMessage ?? "the key manager did not name the peer",
        };
    }

    private static string Binding(IpsecBindingResult? result) => result switch
    {
        null => "(not asked for)",
        { Value: { } v } => Convert.ToHexStringLower(v.Span),
        _ => $"({XfrmNames.Kebab(result.Absence!.Value)}: {result.Message})",
    };

    private static string Sa(IpsecSaInfo sa)
    {
        var algorithms = sa.AlgorithmNames();
        return I($"{XfrmNames.Protocol(sa.Protocol)}/{XfrmNames.Mode(sa.Mode)} spi {XfrmNames.Spi(sa.Spi)} reqid {sa.RequestId} ") +
            I($"{sa.Source} -> {sa.Destination} alg {(algorithms.Count == 0 ? "-" : string.Join(",", algorithms))} ") +
            I($"{sa.Current.Bytes} bytes {sa.Current.Packets} packets");
    }

    private static string Peer(IpsecPeer p) =>
        I($"{p.RemoteId} ({XfrmNames.AuthMethod(p.AuthenticationMethod)})") +
        (p.RemoteHost is null ? "" : I($" at {p.RemoteHost}")) +
        (p.IkeSaUniqueId is { } id ? I($", IKE SA #{id}") : "") +
        (p.Source is null ? "" : I($", from {p.Source}"));

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
