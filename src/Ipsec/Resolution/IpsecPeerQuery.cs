using System.Net;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>What a peer source gets to find the IKE SA behind a kernel SA pair.</summary>
/// <param name="RequestId">The outbound SA's reqid (IKE daemons give both SAs of a child SA the same one).</param>
/// <param name="InboundSpi">The inbound SA's SPI (the daemon's spi-in).</param>
/// <param name="OutboundSpi">The outbound SA's SPI (the daemon's spi-out).</param>
/// <param name="LocalAddress">The outbound SA's source address.</param>
/// <param name="RemoteAddress">The outbound SA's destination address.</param>
public sealed record IpsecPeerQuery(uint RequestId, uint InboundSpi, uint OutboundSpi, IPAddress LocalAddress, IPAddress RemoteAddress);
