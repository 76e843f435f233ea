namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// One connection of <c>whack --status</c> as pluto prints it: how each end authenticates (<c>our auth:null, their
/// auth:null</c>) and the IKE identities (<c>our idtype: ID_NULL; our id=ID_NULL; their idtype: ...</c>).
/// </summary>
/// <param name="Name">The connection's name with its instance suffix, if any (<c>null</c>, <c>null[1]</c>).</param>
/// <param name="OurAuth">pluto's word for how we authenticate (null, secret, rsasig, ecdsa, ...).</param>
/// <param name="TheirAuth">pluto's word for how the peer authenticates.</param>
/// <param name="OurIdType">Our IKE identity's type (ID_NULL, ID_FQDN, ID_IPV4_ADDR, ...).</param>
/// <param name="OurId">Our IKE identity as printed.</param>
/// <param name="TheirIdType">The peer's IKE identity's type.</param>
/// <param name="TheirId">The peer's IKE identity as printed.</param>
public sealed record WhackConnection(string Name, string? OurAuth, string? TheirAuth, string? OurIdType, string? OurId,
    string? TheirIdType, string? TheirId);
