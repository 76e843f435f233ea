using System.Globalization;
using System.Text.Json;
using CbbToolkit.Ipsec.Vici;

namespace CbbToolkit.Cli.Output;

/// <summary>The JSON of <c>cbb vici sas</c>: one array of IKE SAs with their child SAs, keys in camelCase.</summary>
internal static class ViciJson
{
    /// <summary>The array on one line.</summary>
    public static string Sas(IEnumerable<IkeSa> sas) => JsonLine.Format(json =>
    {
        ArgumentNullException.ThrowIfNull(sas);
        json.WriteStartArray();
        foreach (var ike in sas)
        {
            WriteIke(json, ike);
        }

        json.WriteEndArray();
    });

    private static void WriteIke(Utf8JsonWriter json, IkeSa ike)
    {
        json.WriteStartObject();
        json.WriteString("name", ike.Name);
        json.WriteNumber("uniqueId", ike.UniqueId);
        json.WriteNumber("version", ike.Version);
        json.WriteString("state", ike.State);
        json.WriteString("localHost", ike.LocalHost?.ToString());
        json.WriteNumberOrNull("localPort", (ulong?)ike.LocalPort);
        json.WriteString("remoteHost", ike.RemoteHost?.ToString());
        json.WriteNumberOrNull("remotePort", (ulong?)ike.RemotePort);
        json.WriteString("localId", ike.LocalId);
        json.WriteString("remoteId", ike.RemoteId);
        json.WriteString("remoteEapId", ike.RemoteEapId);
        json.WriteString("remoteXauthId", ike.RemoteXauthId);
        json.WriteBoolean("initiator", ike.IsInitiator);
        json.WriteString("initiatorSpi", IkeSpi(ike.InitiatorSpi));
        json.WriteString("responderSpi", IkeSpi(ike.ResponderSpi));
        json.WriteBoolean("natAny", ike.UsesNatTraversal);
        json.WriteString("encryption", ViciText.Algorithm(ike.EncryptionAlgorithm, ike.EncryptionKeySize));
        json.WriteString("integrity", ViciText.Algorithm(ike.IntegrityAlgorithm, ike.IntegrityKeySize));
        json.WriteString("prf", ike.PrfAlgorithm);
        json.WriteString("dhGroup", ike.DhGroup);
        json.WriteNumberOrNull("establishedSeconds", Seconds(ike.EstablishedTime));
        json.WriteNumberOrNull("rekeySeconds", Seconds(ike.RekeyTime));
        json.WriteStartArray("childSas");
        foreach (var child in ike.ChildSas)
        {
            WriteChild(json, child);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteChild(Utf8JsonWriter json, ChildSa child)
    {
        json.WriteStartObject();
        json.WriteString("name", child.Name);
        json.WriteNumber("uniqueId", child.UniqueId);
        json.WriteNumber("reqid", child.RequestId);
        json.WriteString("state", child.State);
        json.WriteString("mode", child.Mode);
        json.WriteString("protocol", child.Protocol);
        json.WriteBoolean("encapsulated", child.IsEncapsulated);
        json.WriteString("spiIn", child.InboundSpi is { } i ? XfrmNames.Spi(i) : null);
        json.WriteString("spiOut", child.OutboundSpi is { } o ? XfrmNames.Spi(o) : null);
        json.WriteString("cpiIn", Cpi(child.InboundCpi));
        json.WriteString("cpiOut", Cpi(child.OutboundCpi));
        json.WriteString("encryption", ViciText.Algorithm(child.EncryptionAlgorithm, child.EncryptionKeySize));
        json.WriteString("integrity", ViciText.Algorithm(child.IntegrityAlgorithm, child.IntegrityKeySize));
        json.WriteString("dhGroup", child.DhGroup);
        json.WriteBoolean("esn", child.UsesExtendedSequenceNumbers);
        json.WriteNumberOrNull("bytesIn", child.InboundBytes);
        json.WriteNumberOrNull("packetsIn", child.InboundPackets);
        json.WriteNumberOrNull("bytesOut", child.OutboundBytes);
        json.WriteNumberOrNull("packetsOut", child.OutboundPackets);
        json.WriteNumberOrNull("installedSeconds", Seconds(child.InstallTime));
        json.WriteNumberOrNull("rekeySeconds", Seconds(child.RekeyTime));
        json.WriteNumberOrNull("lifetimeSeconds", Seconds(child.Lifetime));
        json.WriteStrings("localTs", child.LocalTrafficSelectors);
        json.WriteStrings("remoteTs", child.RemoteTrafficSelectors);
        json.WriteEndObject();
    }

    private static string? IkeSpi(ulong? spi) => spi is { } s ? "0x" + s.ToString("x16", CultureInfo.InvariantCulture) : null;

    private static string? Cpi(ushort? cpi) => cpi is { } c ? "0x" + c.ToString("x4", CultureInfo.InvariantCulture) : null;

    private static ulong? Seconds(TimeSpan? time) => time is { } t && t >= TimeSpan.Zero ? (ulong)t.TotalSeconds : null;
}
