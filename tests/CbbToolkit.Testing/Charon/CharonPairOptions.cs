using System.Net;

namespace CbbToolkit.Testing.Charon;

/// <summary>
/// How a <see cref="CharonPair"/> is set up. The defaults are the lab's: tunnel mode over kernel-libipsec (the child SA
/// comes up on a host kernel without ESP), raw public keys, ids a.test and b.test, 192.0.2.1 and .2, inner 10.1.0.1 and
/// 10.2.0.1, nothing started.
/// </summary>
public sealed class CharonPairOptions
{
    /// <summary>Tunnel or transport mode.</summary>
    public CharonMode Mode { get; init; } = CharonMode.Tunnel;

    /// <summary>kernel-libipsec (tunnel mode only) or kernel-netlink.</summary>
    public CharonKernel Kernel { get; init; } = CharonKernel.Libipsec;

    /// <summary>Raw public keys or pinned self-signed certificates.</summary>
    public CharonAuthentication Authentication { get; init; } = CharonAuthentication.PublicKey;

    /// <summary>A's start action (B only responds).</summary>
    public CharonStartAction StartActionA { get; init; } = CharonStartAction.None;

    /// <summary>The child SA's reqid on both sides; 0 = charon picks.</summary>
    public uint RequestId { get; init; }

    /// <summary>Whether charon installs SPD policies (false: per-socket policies decide what is protected).</summary>
    public bool InstallPolicies { get; init; } = true;

    /// <summary>Narrows both traffic selectors to one protocol (e.g. "tcp"); null = any.</summary>
    public string? TrafficSelectorProtocol { get; init; }

    /// <summary>A's IKE address.</summary>
    public IPAddress AddressA { get; init; } = IPAddress.Parse("192.0.2.1");

    /// <summary>B's IKE address (the same /24 as A's).</summary>
    public IPAddress AddressB { get; init; } = IPAddress.Parse("192.0.2.2");

    /// <summary>An IPv6 address for A's veth (/64), or none.</summary>
    public IPAddress? Address6A { get; init; }

    /// <summary>An IPv6 address for B's veth (/64), or none.</summary>
    public IPAddress? Address6B { get; init; }

    /// <summary>A's inner address (on lo, tunnel mode).</summary>
    public IPAddress InnerA { get; init; } = IPAddress.Parse("10.1.0.1");

    /// <summary>B's inner address (on lo, tunnel mode).</summary>
    public IPAddress InnerB { get; init; } = IPAddress.Parse("10.2.0.1");

    /// <summary>A's IKE identity.</summary>
    public string IdA { get; init; } = "a.test";

    /// <summary>B's IKE identity.</summary>
    public string IdB { get; init; } = "b.test";

    /// <summary>Starts the namespaces' names, so a left-over namespace says which suite made it.</summary>
    public string NamespacePrefix { get; init; } = "cbbch-";

    /// <summary>Whether A initiates child "lab" once both are loaded (swanctl --initiate).</summary>
    public bool Initiate { get; init; }
}
