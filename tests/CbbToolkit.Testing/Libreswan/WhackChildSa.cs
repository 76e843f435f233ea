using System.Net;

namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// One established child SA of <c>whack --status</c> / <c>--showstates</c>: its state serial (<c>#2</c>), connection,
/// parent IKE SA (<c>IKE SA #1</c>) and the SPIs (<c>esp.OUT@PEER esp.IN@SELF</c>: hex without leading zeros, so read
/// as numbers).
/// </summary>
/// <param name="Serial">pluto's state serial number of the child SA.</param>
/// <param name="Connection">The connection it belongs to.</param>
/// <param name="IkeSerial">The serial of its IKE SA, when printed.</param>
/// <param name="Protocol">esp or ah.</param>
/// <param name="OutboundSpi">The SPI of the SA we send on (destination: the peer).</param>
/// <param name="RemoteAddress">The peer's address.</param>
/// <param name="InboundSpi">The SPI of the SA we receive on.</param>
/// <param name="LocalAddress">Our address.</param>
public sealed record WhackChildSa(int Serial, string Connection, int? IkeSerial, string Protocol, uint OutboundSpi,
    IPAddress RemoteAddress, uint InboundSpi, IPAddress LocalAddress);
