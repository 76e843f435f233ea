using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Kestrel;

/// <summary>
/// The IPsec channel of one connection, as the connection middleware found it when the connection was accepted and as its
/// latch says now. Set on the connection's features and on every request's features of that connection.
/// </summary>
/// <remarks>
/// Verification is per connection, from live SA state; nothing here is looked up by address. Read
/// <see cref="IsVerified"/> (or <see cref="Status"/>) on every use: a latch that breaks turns it false at once.
/// </remarks>
public interface IIpsecChannelFeature
{
    /// <summary>The endpoint's mode when the connection was accepted.</summary>
    IpsecChannelMode Mode { get; }

    /// <summary>The resolver's answer for the connection's flow; null when the mode is <see cref="IpsecChannelMode.Disabled"/>.</summary>
    IpsecChannelResolution? Resolution { get; }

    /// <summary>The protecting channel (SA pair, policies, peer), or null when not protected or not checked.</summary>
    IpsecChannel? Channel => Resolution?.Channel;

    /// <summary>The IKE peer of the channel, when the key manager named one.</summary>
    IpsecPeer? Peer => Channel?.Peer;

    /// <summary>Verified now, or which part of "verified" fails; turns from verified to not when the latch breaks.</summary>
    IpsecChannelStatus Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="IpsecChannelStatus.Verified"/>.</summary>
    bool IsVerified => Status == IpsecChannelStatus.Verified;

    /// <summary>Why the channel is not verified, in words (names the flow, SA, peer or latch); null when verified.</summary>
    string? Reason { get; }

    /// <summary>The connection's latch (RFC 5660), or null when none was made.</summary>
    IpsecLatchHandle? Latch { get; }

    /// <summary>The latch's state now; null when there is no latch.</summary>
    IpsecLatchState? LatchState { get; }

    /// <summary>
    /// The connection's channel information: IPsec attributes and bindings, plus the TLS ones when the middleware runs
    /// after <c>UseHttps</c>. Never holds SA keys.
    /// </summary>
    ChannelInfo? ChannelInfo { get; }

    /// <summary>
    /// Why <see cref="ChannelInfo"/> has no ipsec-sa-binding although the endpoint computes it (its channel policy selects
    /// it, or it accepts bindings): no SA pair, keys unreadable (CAP_NET_ADMIN, lockdown), the SA gone or changed. Null
    /// when the value is there or was not asked for. The binding exchange refuses such a connection channel-not-verified.
    /// </summary>
    string? MissingBindingReason => null;

    /// <summary>Cancelled when the latch goes BROKEN or CLOSED (the connection is being aborted).</summary>
    CancellationToken ChannelLost { get; }
}
