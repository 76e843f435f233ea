using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.ChannelBinding;

namespace TlsChannelDemo;

/// <summary>Prints the client's and the server's channel info next to each other, and what agrees.</summary>
internal static class SideBySide
{
    private const int HexShown = 16;
    private const string Row = "  {0,-24}{1,-26}{2,-26}{3}";

    public static void Print(ChannelInfo client, ChannelInfo server)
    {
        Console.WriteLine(Row, "attribute", "client computed", "server computed", "");
        Console.WriteLine(Row, "tls-version", Version(client), Version(server), Same(Version(client) == Version(server)));
        Console.WriteLine(Row, "cipher-suite", Short(client.CipherSuite?.ToString()), Short(server.CipherSuite?.ToString()),
            Same(client.CipherSuite == server.CipherSuite));
        foreach (var type in (ChannelAttributeType[])[ChannelAttributeType.TlsExporter, ChannelAttributeType.TlsServerEndPoint, ChannelAttributeType.TlsUnique])
        {
            Console.WriteLine(Row, Name(type), Value(client, type), Value(server, type), Verdict(client, server, type));
        }

        Console.WriteLine(Row, "extended-master-secret", Flag(client.ExtendedMasterSecret), Flag(server.ExtendedMasterSecret), "");
        Console.WriteLine(Row, "peer-spki-sha256", Value(client, ChannelAttributeType.PeerSpkiSha256),
            Value(server, ChannelAttributeType.PeerSpkiSha256), "");
        Console.WriteLine(Row, "local-spki-sha256", Value(client, ChannelAttributeType.LocalSpkiSha256),
            Value(server, ChannelAttributeType.LocalSpkiSha256), "");
    }

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

    private static string Short(string? text) => text is null ? "(none)" : text.Length > 25 ? text[..22] + "..." : text;

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
