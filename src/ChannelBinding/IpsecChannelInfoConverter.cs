using System.Buffers.Binary;
using System.Text;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Channels;

/// <summary>
/// Turns the resolver's <see cref="IpsecChannel"/> into <see cref="ChannelInfo"/> with the IPsec attributes of
/// docs/api.md: ipsec-protocol, ipsec-mode, both SPIs, ipsec-reqid, ipsec-algorithms (names, never keys),
/// qop-indeterminate, created-at, and, when the IKE daemon named the peer, ipsec-peer-id, ipsec-auth-method and
/// ipsec-peer-public-key. A value an attribute cannot hold (a mode other than transport or tunnel, an over-long name) is
/// left out rather than faked. <see cref="FromChannelAsync"/> adds the binding values the policy asks for:
/// ipsec-end-point-sha256 and ipsec-sa-binding (docs/channel-bindings.md).
/// </summary>
public static class IpsecChannelInfoConverter
{
    private const int MaxAlgorithmsLength = 1024;

    /// <summary>The channel information of a resolved IPsec channel, created at <paramref name="timeProvider"/>'s now.</summary>
    public static ChannelInfo FromChannel(IpsecChannel channel, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return FromChannel(channel, timeProvider.GetUtcNow());
    }

    /// <summary>The channel information of a resolved IPsec channel.</summary>
    /// <param name="channel">The resolved channel.</param>
    /// <param name="createdAt">Its created-at; null for the system clock's now.</param>
    public static ChannelInfo FromChannel(IpsecChannel channel, DateTimeOffset? createdAt = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.IpsecProtocol, [(byte)channel.Protocol])
            .With(ChannelAttributeType.IpsecRequestId, BigEndian(channel.Outbound.RequestId))
            .With(ChannelAttributeType.QopIndeterminate, [channel.IsQopIndeterminate ? (byte)1 : (byte)0])
            .With(ChannelAttributeType.CreatedAt, BigEndian((createdAt ?? TimeProvider.System.GetUtcNow()).ToUnixTimeMilliseconds()));
        if (channel.Mode is XfrmMode.Transport or XfrmMode.Tunnel)
        {
            info = info.With(ChannelAttributeType.IpsecMode, [(byte)channel.Mode]);
        }

        if (channel.Outbound.Spi != 0)
        {
            info = info.With(ChannelAttributeType.IpsecOutboundSpi, BigEndian(channel.Outbound.Spi));
        }

        if (channel.Inbound.Spi != 0)
        {
            info = info.With(ChannelAttributeType.IpsecInboundSpi, BigEndian(channel.Inbound.Spi));
        }

        var algorithms = string.Join(',', channel.Outbound.AlgorithmNames().Concat(channel.Inbound.AlgorithmNames()).Distinct(StringComparer.Ordinal));
        if (algorithms.Length > 0 && Encoding.UTF8.GetByteCount(algorithms) <= MaxAlgorithmsLength)
        {
            info = info.With(ChannelAttributeType.IpsecAlgorithms, Encoding.UTF8.GetBytes(algorithms));
        }

        return channel.Peer is { } peer ? WithPeer(info, peer) : info;
    }

    /// <summary>
    /// The channel information of a resolved IPsec channel with the IPsec binding values that
    /// <see cref="IpsecPolicy.ChannelBindings"/> selects (<see cref="IpsecChannelBindings.IpsecEndPoint"/>,
    /// <see cref="IpsecChannelBindings.IpsecSaBinding"/>); each one that cannot be computed is left out with its reason.
    /// </summary>
    /// <param name="channel">The resolved channel.</param>
    /// <param name="policy">Selects the binding values.</param>
    /// <param name="kernel">An XFRM client in the channel's network namespace, to read the SA keys (CAP_NET_ADMIN); null
    /// leaves ipsec-sa-binding out with <see cref="IpsecBindingAbsence.KernelError"/>.</param>
    /// <param name="createdAt">The created-at time (default: now).</param>
    /// <param name="cancellationToken">Cancels the kernel requests.</param>
    /// <exception cref="IpsecException">NotSupported when the policy requires a channel binding, asks for IPsec ones,
    /// and none could be computed.</exception>
    public static async Task<IpsecChannelConversion> FromChannelAsync(IpsecChannel channel, IpsecPolicy policy, XfrmClient? kernel,
        DateTimeOffset? createdAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(policy);
        var info = FromChannel(channel, createdAt);
        IpsecBindingResult? endPoint = null, saBinding = null;
        if (policy.ChannelBindings.Includes(IpsecChannelBindings.IpsecEndPoint))
        {
            endPoint = IpsecEndPointBinding.Compute(channel);
            info = endPoint.Value is { } v ? info.With(ChannelAttributeType.IpsecEndPointSha256, v.Span) : info;
        }

        if (policy.ChannelBindings.Includes(IpsecChannelBindings.IpsecSaBinding))
        {
            saBinding = kernel is null
                ? IpsecBindingResult.Absent(IpsecBindingAbsence.KernelError, "No XFRM client was given to read the SA keys with.")
                : await IpsecSaBinding.ComputeAsync(kernel, channel, cancellationToken).ConfigureAwait(false);
            info = saBinding.Value is { } v ? info.With(ChannelAttributeType.IpsecSaBinding, v.Span) : info;
        }

        if (policy.RequireChannelBinding && (endPoint is not null || saBinding is not null)
            && !info.Contains(ChannelAttributeType.IpsecEndPointSha256) && !info.Contains(ChannelAttributeType.IpsecSaBinding))
        {
            throw new IpsecException(IpsecError.NotSupported,
                "The policy requires a channel binding, but no IPsec binding value it selects could be computed: " +
                string.Join(" ", new[] { endPoint, saBinding }.Where(r => r is not null).Select(r => r!.Message)));
        }

        return new IpsecChannelConversion(info, endPoint, saBinding);
    }

    private static ChannelInfo WithPeer(ChannelInfo info, IpsecPeer peer)
    {
        // No IKE identity (RFC 7619 ID_NULL): no ipsec-peer-id; ipsec-auth-method says how (not) authenticated.
        if (peer.RemoteId.Length > 0)
        {
            info = TryWith(info, ChannelAttributeType.IpsecPeerId, Encoding.UTF8.GetBytes(peer.RemoteId));
        }


        info = TryWith(info, ChannelAttributeType.IpsecAuthenticationMethod, [(byte)peer.AuthenticationMethod]);
        return peer.PublicKey is { } key ? TryWith(info, ChannelAttributeType.IpsecPeerPublicKey, key.Span) : info;
    }

    // The daemon's values are checked like any other; one the table's rules refuse is left out (a pin on it then fails).
    private static ChannelInfo TryWith(ChannelInfo info, ChannelAttributeType type, ReadOnlySpan<byte> value)
    {
        try
        {
            return info.With(type, value);
        }
        catch (ArgumentException)
        {
            return info;
        }
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
