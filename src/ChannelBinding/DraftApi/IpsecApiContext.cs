using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// What the draft's socket functions depend on, made explicit: where a socket's channel is learnt, the clock created-at
/// comes from, and the channels applications required of their sockets (<c>ipsec_set_socket_channel_info</c>, which
/// <c>ipsec_get_socket_channel_info</c> on the same context checks). Pass one to the overloads that take it;
/// the overloads without one use <see cref="Default"/>.
/// </summary>
public sealed class IpsecApiContext
{
    // Keyed weakly: an entry lives as long as its Socket object.
    private readonly ConditionalWeakTable<Socket, ChannelInfo> _required = new();

    /// <summary>Creates a context.</summary>
    /// <param name="channelResolver">
    /// Where <c>ipsec_get_socket_channel_info</c> learns a socket's channel: a resolver over an
    /// <see cref="XfrmStateCache"/> (which must mirror the namespace the sockets live in) and a
    /// <see cref="ViciPeerSource"/> gives a warm cache and the peer's identity. Null: the kernel of the socket's own
    /// network namespace is dumped on every call and no IKE daemon is asked, so the peer attributes stay absent.
    /// </param>
    /// <param name="timeProvider">The clock of created-at; <see cref="TimeProvider.System"/> when null.</param>
    public IpsecApiContext(IpsecChannelResolver? channelResolver = null, TimeProvider? timeProvider = null)
    {
        ChannelResolver = channelResolver;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The context of the overloads that take none: no resolver, the system clock.</summary>
    public static IpsecApiContext Default { get; } = new();

    /// <summary>Where socket channels are learnt, or null for a one-shot kernel dump per call.</summary>
    public IpsecChannelResolver? ChannelResolver { get; }

    /// <summary>The clock of created-at.</summary>
    public TimeProvider TimeProvider { get; }

    internal void Require(Socket socket, ChannelInfo expected) => _required.AddOrUpdate(socket, expected);

    internal ChannelInfo? RequiredOf(Socket socket) => _required.TryGetValue(socket, out var info) ? info : null;
}
