using System.Globalization;
using CbbToolkit.Ipsec.Vici;

namespace CbbToolkit.Cli.Output;

/// <summary>The text form of <c>cbb vici sas</c>: one block per IKE SA, its child SAs indented below it.</summary>
internal static class ViciText
{
    /// <summary>The lines, each without the line break.</summary>
    public static IReadOnlyList<string> Sas(IReadOnlyList<IkeSa> sas)
    {
        ArgumentNullException.ThrowIfNull(sas);
        if (sas.Count == 0)
        {
            return ["(no IKE SAs)"];
        }

        var lines = new List<string>();
        foreach (var ike in sas)
        {
            lines.Add(Invariant($"{ike.Name} #{ike.UniqueId}: {ike.State}, IKEv{ike.Version}, {(ike.IsInitiator ? "initiator" : "responder")}"));
            lines.Add(Invariant($"  local   '{ike.LocalId}' @ {ike.LocalHost}[{ike.LocalPort}]"));
            lines.Add(Invariant($"  remote  '{ike.RemoteId}' @ {ike.RemoteHost}[{ike.RemotePort}]"));
            var proposal = string.Join('/', new[]
            {
                Algorithm(ike.EncryptionAlgorithm, ike.EncryptionKeySize), Algorithm(ike.IntegrityAlgorithm, ike.IntegrityKeySize),
                ike.PrfAlgorithm, ike.DhGroup,
            }.Where(a => a is not null));
            if (proposal.Length > 0)
            {
                lines.Add("  " + proposal);
            }

            foreach (var child in ike.ChildSas)
            {
                lines.Add(Invariant($"  {child.Name} #{child.UniqueId}: reqid {child.RequestId}, {child.State}, {child.Mode}{(child.IsEncapsulated ? "-in-UDP" : "")}, ") +
                          Invariant($"{child.Protocol}:{Algorithm(child.EncryptionAlgorithm, child.EncryptionKeySize)}") +
                          (child.IntegrityAlgorithm is null ? "" : "/" + Algorithm(child.IntegrityAlgorithm, child.IntegrityKeySize)));
                lines.Add(Invariant($"    in   {Spi(child.InboundSpi)}, {child.InboundBytes ?? 0} bytes, {child.InboundPackets ?? 0} packets"));
                lines.Add(Invariant($"    out  {Spi(child.OutboundSpi)}, {child.OutboundBytes ?? 0} bytes, {child.OutboundPackets ?? 0} packets"));
                lines.Add("    local  " + string.Join(", ", child.LocalTrafficSelectors));
                lines.Add("    remote " + string.Join(", ", child.RemoteTrafficSelectors));
            }
        }

        return lines;
    }

    /// <summary>"AES_CBC-128", or the name alone without a key size, or null.</summary>
    public static string? Algorithm(string? name, int? keySize) =>
        name is null ? null : keySize is { } bits ? Invariant($"{name}-{bits}") : name;

    private static string Spi(uint? spi) => spi is { } s ? XfrmNames.Spi(s) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
