using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// One transform a policy asks for (struct xfrm_user_tmpl): which SA must exist for matching traffic. Templates apply
/// in list order, the first one innermost. Addresses matter in tunnel mode; in transport mode they stay "any".
/// </summary>
public sealed record XfrmTemplate
{
    /// <summary>The SA's destination (tunnel end point), or any.</summary>
    public IPAddress Destination { get; init; } = IPAddress.Any;
    /// <summary>The SA's source, or any.</summary>
    public IPAddress Source { get; init; } = IPAddress.Any;
    /// <summary>The address family of the SA (taken from <see cref="Destination"/>).</summary>
    public AddressFamily Family => Destination.AddressFamily;
    /// <summary>A specific SPI, or 0 for any.</summary>
    public uint Spi { get; init; }
    /// <summary>ESP, AH or IPComp.</summary>
    public XfrmProtocol Protocol { get; init; } = XfrmProtocol.Esp;
    /// <summary>Transport or tunnel.</summary>
    public XfrmMode Mode { get; init; } = XfrmMode.Transport;
    /// <summary>The SA's reqid must equal this; 0 matches any.</summary>
    public uint RequestId { get; init; }
    /// <summary>XFRM_SHARE_* (0 = any).</summary>
    public byte Share { get; init; }
    /// <summary>"level use": traffic may pass without this transform (also needed for IPComp, which skips small packets).</summary>
    public bool IsOptional { get; init; }
    /// <summary>Allowed integrity algorithms (SADB ids as a bitmask); all bits = any.</summary>
    public uint AuthenticationAlgorithms { get; init; } = uint.MaxValue;
    /// <summary>Allowed encryption algorithms; all bits = any.</summary>
    public uint EncryptionAlgorithms { get; init; } = uint.MaxValue;
    /// <summary>Allowed compression algorithms; all bits = any.</summary>
    public uint CompressionAlgorithms { get; init; } = uint.MaxValue;
}
