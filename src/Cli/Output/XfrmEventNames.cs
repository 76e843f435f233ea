using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Cli.Output;

/// <summary>The "type" of a monitor event and other small names shared by the JSON and text forms.</summary>
internal static class XfrmEventNames
{
    /// <summary>policy-added/-updated/-deleted, sa-added/..., expire, policy-expire, acquire, flush-sa, flush-policy, other.</summary>
    public static string Type(XfrmEvent e) => e switch
    {
        XfrmPolicyEvent p => "policy-" + Change(p.Change),
        XfrmStateEvent s => "sa-" + Change(s.Change),
        XfrmExpireEvent => "expire",
        XfrmPolicyExpireEvent => "policy-expire",
        XfrmAcquireEvent => "acquire",
        XfrmFlushEvent f => f.IsPolicyFlush ? "flush-policy" : "flush-sa",
        _ => "other",
    };

    /// <summary>"espinudp", "espinudp-nonike", "espintcp".</summary>
    public static string Encapsulation(XfrmEncapsulationType type) => type switch
    {
        XfrmEncapsulationType.EspInUdp => "espinudp",
        XfrmEncapsulationType.EspInUdpNonIke => "espinudp-nonike",
        XfrmEncapsulationType.EspInTcp => "espintcp",
        _ => ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Change(XfrmChange change) => change switch
    {
        XfrmChange.Added => "added",
        XfrmChange.Updated => "updated",
        _ => "deleted",
    };
}
