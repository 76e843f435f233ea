using System.Net;

namespace CbbToolkit.Ipsec.Vici.Parsing;

/// <summary>Builds <see cref="IkeSa"/> and <see cref="ChildSa"/> from list-sa / updown messages (one section per IKE SA).</summary>
internal static class IkeSaParser
{
    public static IReadOnlyList<IkeSa> ParseAll(ViciMessage message) =>
        message.Sections.Select(s => Parse(s.Key, s.Value)).ToArray();

    /// <summary>Both rekey events: ike-rekey (name { old {..} new {..} }) and child-rekey (child-sas { name { old new } }).</summary>
    public static IReadOnlyList<IkeSaRekey> ParseIkeRekeys(ViciMessage message) =>
        message.Sections.Select(s => new IkeSaRekey
        {
            Old = Parse(s.Key, s.Value.GetSection("old") ?? throw Missing(s.Value, "old")),
            New = Parse(s.Key, s.Value.GetSection("new") ?? throw Missing(s.Value, "new")),
        }).ToArray();

    public static IReadOnlyList<ChildSaRekey> ParseChildRekeys(ViciMessage message) =>
        message.Sections.SelectMany(ike =>
        {
            var owner = Parse(ike.Key, ike.Value, withChildren: false);
            return (ike.Value.GetSection("child-sas")?.Sections ?? []).Select(c => new ChildSaRekey
            {
                IkeSa = owner,
                Old = ParseChild(c.Key, c.Value.GetSection("old") ?? throw Missing(c.Value, "old")),
                New = ParseChild(c.Key, c.Value.GetSection("new") ?? throw Missing(c.Value, "new")),
            });
        }).ToArray();

    public static IkeSa Parse(string name, ViciMessage s, bool withChildren = true) => new()
    {
        Name = name,
        UniqueId = s.GetUInt32("uniqueid") ?? throw Missing(s, "uniqueid"),
        Version = (int)(s.GetUInt32("version") ?? 0),
        State = s.GetRequiredString("state"),
        LocalHost = Host(s, "local-host"),
        LocalPort = Port(s, "local-port"),
        RemoteHost = Host(s, "remote-host"),
        RemotePort = Port(s, "remote-port"),
        LocalId = s.GetString("local-id"),
        RemoteId = s.GetString("remote-id"),
        RemoteEapId = s.GetString("remote-eap-id"),
        RemoteXauthId = s.GetString("remote-xauth-id"),
        IsInitiator = s.GetBoolean("initiator"),
        InitiatorSpi = s.GetHexUInt64("initiator-spi"),
        ResponderSpi = s.GetHexUInt64("responder-spi"),
        IsLocalBehindNat = s.GetBoolean("nat-local"),
        IsRemoteBehindNat = s.GetBoolean("nat-remote"),
        IsNatFaked = s.GetBoolean("nat-fake"),
        UsesNatTraversal = s.GetBoolean("nat-any"),
        EncryptionAlgorithm = s.GetString("encr-alg"),
        EncryptionKeySize = KeySize(s, "encr-keysize"),
        IntegrityAlgorithm = s.GetString("integ-alg"),
        IntegrityKeySize = KeySize(s, "integ-keysize"),
        PrfAlgorithm = s.GetString("prf-alg"),
        DhGroup = s.GetString("dh-group"),
        EstablishedTime = Seconds(s, "established"),
        RekeyTime = Seconds(s, "rekey-time"),
        ReauthTime = Seconds(s, "reauth-time"),
        LocalVirtualAddresses = s.GetList("local-vips") ?? [],
        RemoteVirtualAddresses = s.GetList("remote-vips") ?? [],
        ChildSas = withChildren ? s.GetSection("child-sas")?.Sections.Select(c => ParseChild(c.Key, c.Value)).ToArray() ?? [] : [],
    };

    public static ChildSa ParseChild(string sectionName, ViciMessage s) => new()
    {
        // 5.9.8 names the section "<name>-<uniqueid>" and adds a name key; older releases named it after the config.
        Name = s.GetString("name") ?? sectionName,
        UniqueId = s.GetUInt32("uniqueid") ?? throw Missing(s, "uniqueid"),
        RequestId = s.GetUInt32("reqid") ?? throw Missing(s, "reqid"),
        State = s.GetRequiredString("state"),
        Mode = s.GetString("mode"),
        Protocol = s.GetString("protocol"),
        IsEncapsulated = s.GetBoolean("encap"),
        InboundSpi = s.GetHexUInt32("spi-in"),
        OutboundSpi = s.GetHexUInt32("spi-out"),
        InboundCpi = Cpi(s, "cpi-in"),
        OutboundCpi = Cpi(s, "cpi-out"),
        EncryptionAlgorithm = s.GetString("encr-alg"),
        EncryptionKeySize = KeySize(s, "encr-keysize"),
        IntegrityAlgorithm = s.GetString("integ-alg"),
        IntegrityKeySize = KeySize(s, "integ-keysize"),
        PrfAlgorithm = s.GetString("prf-alg"),
        DhGroup = s.GetString("dh-group"),
        UsesExtendedSequenceNumbers = s.GetBoolean("esn"),
        InboundBytes = s.GetUInt64("bytes-in"),
        InboundPackets = s.GetUInt64("packets-in"),
        InboundIdleTime = Seconds(s, "use-in"),
        OutboundBytes = s.GetUInt64("bytes-out"),
        OutboundPackets = s.GetUInt64("packets-out"),
        OutboundIdleTime = Seconds(s, "use-out"),
        RekeyTime = Seconds(s, "rekey-time"),
        Lifetime = Seconds(s, "life-time"),
        InstallTime = Seconds(s, "install-time"),
        LocalTrafficSelectors = s.GetList("local-ts") ?? [],
        RemoteTrafficSelectors = s.GetList("remote-ts") ?? [],
    };

    internal static ViciProtocolException Missing(ViciMessage s, string key) => new($"key '{s.Where(key)}' is missing");

    private static IPAddress? Host(ViciMessage s, string key)
    {
        var text = s.GetString(key);
        if (text is null || text.StartsWith("%any", StringComparison.Ordinal))
        {
            return null;
        }

        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new ViciProtocolException($"key '{s.Where(key)}' is not an IP address");
    }

    private static int? Port(ViciMessage s, string key)
    {
        var port = s.GetUInt32(key);
        return port is null ? null
            : port <= ushort.MaxValue ? (int)port
            : throw new ViciProtocolException($"key '{s.Where(key)}' is not a port number");
    }

    private static ushort? Cpi(ViciMessage s, string key)
    {
        var cpi = s.GetHexUInt32(key);
        return cpi is null ? null
            : cpi <= ushort.MaxValue ? (ushort)cpi
            : throw new ViciProtocolException($"key '{s.Where(key)}' is not a 16-bit CPI");
    }

    private static int? KeySize(ViciMessage s, string key)
    {
        var size = s.GetUInt32(key);
        return size is null ? null
            : size <= 65536 ? (int)size
            : throw new ViciProtocolException($"key '{s.Where(key)}' is not a key size");
    }

    /// <summary>charon prints relative times as signed seconds (rekey times go negative while overdue).</summary>
    private static TimeSpan? Seconds(ViciMessage s, string key)
    {
        var seconds = s.GetInt64(key);
        return seconds is null ? null
            : Math.Abs(seconds.Value) <= 100L * 365 * 86400 ? TimeSpan.FromSeconds(seconds.Value)
            : throw new ViciProtocolException($"key '{s.Where(key)}' is not a plausible number of seconds");
    }
}
