using CbbToolkit.Channels.Stores;

namespace CbbToolkit.Cli.Output;

/// <summary>The text of <c>cbb pins</c>: a table for list, aligned name/value lines for show. Never a secret.</summary>
internal static class PinsText
{
    /// <summary>One row per pin; the SPKI hash shortened to 16 hex digits (show prints it whole).</summary>
    public static IReadOnlyList<string> List(IReadOnlyList<ServerPin> pins, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pins);
        if (pins.Count == 0)
        {
            return ["no pins"];
        }

        var table = new TextTable("AUTHORITY", "TLS SPKI SHA-256", "IPSEC", "BINDING", "EXPIRES");
        foreach (var pin in pins)
        {
            table.Add(pin.Authority, pin.SpkiFingerprint[..16] + "...", Ipsec(pin), pin.BindingId.ToString(), Expiry(pin, now));
        }

        return table.Lines();
    }

    /// <summary>Name/value lines for one pin.</summary>
    public static IReadOnlyList<string> Show(ServerPin pin, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var table = new TextTable("", "");
        table.Add("authority", pin.Authority);
        table.Add("server TLS SPKI SHA-256", pin.SpkiFingerprint);
        table.Add("server IPsec", PinFingerprints.Ipsec(pin.ServerIpsecIdentity));
        table.Add("client IPsec", PinFingerprints.Ipsec(pin.ClientIpsecIdentity));
        table.Add("binding", $"{pin.BindingId} (protocol v{(int)pin.BindingVersion}, secret not shown)");
        table.Add("binding created", PinsJson.Time(pin.BindingCreatedAt));
        table.Add("binding expires", Expiry(pin, now));
        table.Add("pinned", PinsJson.Time(pin.PinnedAt));
        table.Add("updated", PinsJson.Time(pin.UpdatedAt));
        return table.Lines().Skip(1).ToList(); // no heading row
    }

    private static string Ipsec(ServerPin pin) => pin.ServerIpsecIdentity switch
    {
        { IsAuthenticated: false } => "unauthenticated",
        var identity => identity.IkeId ?? XfrmNames.AuthMethod(identity.AuthenticationMethod),
    };

    private static string Expiry(ServerPin pin, DateTimeOffset now) =>
        PinsJson.Time(pin.BindingExpiresAt) + (pin.IsBindingExpiredAt(now) ? " (expired)" : "");
}
