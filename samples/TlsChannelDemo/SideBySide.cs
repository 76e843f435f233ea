using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.Channels;

namespace TlsChannelDemo;

/// <summary>Prints the client's and the server's channel info next to each other, and what agrees.</summary>
internal static class SideBySide
{
    private const int HexShown = 16;
    private static readonly System.Text.CompositeFormat Row = System.Text.CompositeFormat.Parse("  {0,-24}{1,-26}{2,-26}{3}");

    public static void Print(ChannelInfo client, ChannelInfo server)
    {
        Line("attribute", "client computed", "server computed", "");
        Line("tls-version", Version(client), Version(server), Same(Version(client) == Version(server)));
        foreach (var type in (ChannelAttributeType[])[ChannelAttributeType.TlsExporter, ChannelAttributeType.TlsServerEndPoint, ChannelAttributeType.TlsUnique])
        {
            Line(Name(type), Value(client, type), Value(server, type), Verdict(client, server, type));
        }

        Line("extended-master-secret", Flag(client.UsesExtendedMasterSecret), Flag(server.UsesExtendedMasterSecret), "");
        var crosswise = SameValue(client, ChannelAttributeType.PeerSpkiSha256, server, ChannelAttributeType.LocalSpkiSha256)
                        && SameValue(server, ChannelAttributeType.PeerSpkiSha256, client, ChannelAttributeType.LocalSpkiSha256);
        Line("peer-spki-sha256", Value(client, ChannelAttributeType.PeerSpkiSha256), Value(server, ChannelAttributeType.PeerSpkiSha256),
            crosswise ? "each is the other end's local key" : "DOES NOT MATCH the other end's local key");
        Line("local-spki-sha256", Value(client, ChannelAttributeType.LocalSpkiSha256), Value(server, ChannelAttributeType.LocalSpkiSha256), "");
    }

    private static void Line(string name, string client, string server, string verdict) =>
        Console.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Row, name, client, server, verdict).TrimEnd());

    public static string Verdict(ChannelInfo a, ChannelInfo b, ChannelAttributeType type) =>
        (a.Contains(type), b.Contains(type)) switch
        {
            (false, false) => "",
            (true, true) => ChannelInfo.BindingEquals(a, b, type) ? "equal" : "DIFFERENT",
            _ => "ONLY ONE SIDE HAS IT",
        };

    public static bool SameValue(ChannelInfo a, ChannelAttributeType typeA, ChannelInfo b, ChannelAttributeType typeB) =>
        a.GetBytes(typeA) is { } x && b.GetBytes(typeB) is { } y && x.AsSpan().SequenceEqual(y);

    public static string Name(ChannelAttributeType type) =>
        ChannelAttributeSpec.TryGet(type, out var spec) ? spec.Name : type.ToString();

    public static string Short(byte[] value) =>
        Convert.ToHexStringLower(value.AsSpan(0, Math.Min(HexShown / 2, value.Length))) + (value.Length * 2 > HexShown ? "..." : "");

    private static string Value(ChannelInfo info, ChannelAttributeType type) =>
        info.GetBytes(type) is { } bytes ? Short(bytes)
        : type == ChannelAttributeType.TlsUnique && info.TlsVersion == SslProtocols.Tls13 ? "undefined in TLS 1.3"
        : "(none)";

    private static string Version(ChannelInfo info) => info.TlsVersion switch
    {
        SslProtocols.Tls12 => "1.2",
        SslProtocols.Tls13 => "1.3",
        _ => "(unknown)",
    };

    private static string Flag(bool? value) => value switch { true => "yes", false => "no", null => "(not reported)" };

    private static string Same(bool same) => same ? "same" : "DIFFERENT";

    internal static string Suite(TlsCipherSuite? suite) => suite?.ToString() ?? "(unknown)";
}
