using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// A security association (xfrm_usersa_info and its attributes). Identified by (<see cref="Destination"/>,
/// <see cref="Spi"/>, <see cref="Protocol"/>). Keys are <see cref="XfrmKey"/>s and never print.
/// </summary>
public sealed record XfrmState
{
    /// <summary>The traffic the SA may carry; by default unspecified, which the kernel turns into "any" of the SA's family.</summary>
    public XfrmSelector Selector { get; init; } = XfrmSelector.Unspecified;
    /// <summary>The SA's destination address.</summary>
    public required IPAddress Destination { get; init; }
    /// <summary>The SA's source address.</summary>
    public required IPAddress Source { get; init; }
    /// <summary>The Security Parameter Index (host order; the CPI for IPComp).</summary>
    public required uint Spi { get; init; }
    /// <summary>ESP, AH or IPComp.</summary>
    public XfrmProtocol Protocol { get; init; } = XfrmProtocol.Esp;
    /// <summary>The address family of the SA (taken from <see cref="Destination"/>).</summary>
    public AddressFamily Family => Destination.AddressFamily;
    /// <summary>Transport or tunnel.</summary>
    public XfrmMode Mode { get; init; } = XfrmMode.Transport;
    /// <summary>The reqid that policy templates refer to.</summary>
    public uint RequestId { get; init; }
    /// <summary>Replay window in packets (0-255; larger windows use <see cref="ReplayEsn"/>).</summary>
    public byte ReplayWindow { get; init; }
    /// <summary>XFRM_STATE_* flags.</summary>
    public XfrmStateFlags Flags { get; init; }
    /// <summary>The ACQUIRE sequence this SA answers (0 if none).</summary>
    public uint Sequence { get; init; }
    /// <summary>Limits.</summary>
    public XfrmLifetimeConfig Lifetime { get; init; } = XfrmLifetimeConfig.Infinite;
    /// <summary>Usage so far (ignored when adding).</summary>
    public XfrmLifetimeCurrent Current { get; init; } = XfrmLifetimeCurrent.Zero;
    /// <summary>Error counters (ignored when adding).</summary>
    public XfrmStatistics Statistics { get; init; } = XfrmStatistics.Zero;
    /// <summary>Combined-mode cipher (XFRMA_ALG_AEAD).</summary>
    public XfrmAeadAlgorithm? Aead { get; init; }
    /// <summary>Cipher (XFRMA_ALG_CRYPT).</summary>
    public XfrmAlgorithm? Encryption { get; init; }
    /// <summary>Integrity (XFRMA_ALG_AUTH_TRUNC, or XFRMA_ALG_AUTH when no truncation is given).</summary>
    public XfrmAuthenticationAlgorithm? Authentication { get; init; }
    /// <summary>Compression (XFRMA_ALG_COMP).</summary>
    public XfrmAlgorithm? Compression { get; init; }
    /// <summary>NAT-traversal encapsulation (XFRMA_ENCAP).</summary>
    public XfrmEncapsulation? Encapsulation { get; init; }
    /// <summary>XFRMA_MARK.</summary>
    public XfrmMark? Mark { get; init; }
    /// <summary>XFRMA_IF_ID: the xfrm interface the SA belongs to.</summary>
    public uint? InterfaceId { get; init; }
    /// <summary>XFRMA_SA_EXTRA_FLAGS.</summary>
    public uint? ExtraFlags { get; init; }
    /// <summary>XFRMA_REPLAY_VAL.</summary>
    public XfrmReplayState? Replay { get; init; }
    /// <summary>XFRMA_REPLAY_ESN_VAL.</summary>
    public XfrmReplayStateEsn? ReplayEsn { get; init; }
    /// <summary>XFRMA_SET_MARK: the mark set on packets after the transform.</summary>
    public uint? OutputMark { get; init; }
    /// <summary>XFRMA_SET_MARK_MASK.</summary>
    public uint? OutputMarkMask { get; init; }
    /// <summary>XFRMA_TFCPAD: traffic-flow-confidentiality padding.</summary>
    public uint? TfcPadding { get; init; }
    /// <summary>XFRMA_LASTUSED: when the SA last carried a packet, in seconds since the epoch (read-only).</summary>
    public ulong? LastUsed { get; init; }
    /// <summary>XFRMA_SA_DIR.</summary>
    public XfrmSaDirection? Direction { get; init; }
}
