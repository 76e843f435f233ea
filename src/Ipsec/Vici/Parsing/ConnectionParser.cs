using System.Globalization;

namespace CbbToolkit.Ipsec.Vici.Parsing;

/// <summary>Builds <see cref="IkeConnection"/> from list-conn events (one section per connection).</summary>
internal static class ConnectionParser
{
    public static IEnumerable<IkeConnection> ParseAll(ViciMessage message) =>
        message.Sections.Select(s => Parse(s.Key, s.Value));

    public static IkeConnection Parse(string name, ViciMessage s) => new()
    {
        Name = name,
        LocalAddresses = s.GetList("local_addrs") ?? [],
        RemoteAddresses = s.GetList("remote_addrs") ?? [],
        Version = s.GetString("version"),
        LocalAuth = Rounds(s, "local-"),
        RemoteAuth = Rounds(s, "remote-"),
        Children = s.GetSection("children")?.Sections.Select(c => new ChildConfig
        {
            Name = c.Key,
            Mode = c.Value.GetString("mode"),
            LocalTrafficSelectors = c.Value.GetList("local-ts") ?? [],
            RemoteTrafficSelectors = c.Value.GetList("remote-ts") ?? [],
        }).ToArray() ?? [],
    };

    /// <summary>Sections named prefix + round number ("remote-1"), ordered by round.</summary>
    private static IkeAuthConfig[] Rounds(ViciMessage s, string prefix) =>
        s.Sections
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => (Round: RoundNumber(s, e.Key, prefix), Section: e.Value))
            .OrderBy(e => e.Round)
            .Select(e => new IkeAuthConfig
            {
                Round = e.Round,
                AuthenticationClass = e.Section.GetString("class"),
                Id = e.Section.GetString("id"),
                EapType = e.Section.GetString("eap-type"),
                EapId = e.Section.GetString("eap_id"),
                XauthId = e.Section.GetString("xauth_id"),
                AaaId = e.Section.GetString("aaa_id"),
                Certificates = e.Section.GetList("certs") ?? [],
                CaCertificates = e.Section.GetList("cacerts") ?? [],
                Groups = e.Section.GetList("groups") ?? [],
            })
            .ToArray();

    private static int RoundNumber(ViciMessage s, string key, string prefix) =>
        int.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var round) && round is > 0 and < 1000
            ? round
            : throw new ViciProtocolException($"auth section '{s.Where(key)}' has no round number");
}
