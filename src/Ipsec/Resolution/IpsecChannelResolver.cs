using System.Net.Sockets;
using CbbToolkit.Ipsec.Configuration;
using CbbToolkit.Ipsec.Resolution.Matching;
using CbbToolkit.Ipsec.Timing;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// Answers "which IPsec channel protects this connection, and who is the peer", from an <see cref="XfrmStateCache"/>
/// (and an optional <see cref="IIpsecPeerSource"/>), matching the way the kernel does:
/// <list type="number">
/// <item>per direction (out: local to remote; in: remote to local), a socket policy whose selector covers the flow
/// wins, as in the kernel; otherwise the SPD policy covering the flow with the lowest priority value (older on ties).
/// Selectors match by address prefix, protocol (0 = any) and ports under their masks. The flow is taken as unmarked and
/// not routed through an xfrm interface: a policy depending on a mark, interface, if_id or a sub policy that could
/// apply makes the answer <see cref="IpsecNotProtectedReason.Ambiguous"/>, as do two policies of the best priority with
/// different templates;</item>
/// <item>block gives Blocked; allow without templates, or with ESP/AH only optional ("level use"), gives ClearTextAllowed;</item>
/// <item>each template resolves to an SA: outbound by (destination, protocol, mode, exact reqid, source or wildcard,
/// SPI when named, selector covering the flow), newest first; inbound by (our address or the tunnel end points,
/// protocol, mode, reqid or any when 0, selector covering the flow), every candidate congruent or Ambiguous (the
/// peer could use any of them). A required template without SA gives PolicyWithoutSa.</item>
/// </list>
/// Socket policies appear in the kernel's dump (socket-in/socket-out) but nothing there ties them to a socket, so they
/// count only when the caller supplies them (<see cref="IpsecSocketPolicies"/>, or <see cref="IpsecChannelResolverOptions.SocketPolicies"/>
/// for sockets). Sockets accepted from a listener inherit its socket policies: supply the listener's.
/// </summary>
public sealed class IpsecChannelResolver
{
    private readonly TimeProvider _time;

    /// <summary>Creates a resolver over a cache (and a peer source, optional).</summary>
    /// <param name="cache">The kernel mirror resolutions read.</param>
    /// <param name="peerSource">Who names peers, or null.</param>
    /// <param name="options">The settings; the defaults when null.</param>
    /// <param name="timeProvider">The clock of <see cref="IpsecChannelResolverOptions.PeerLookupTimeout"/>; <see cref="TimeProvider.System"/> when null.</param>
    public IpsecChannelResolver(XfrmStateCache cache, IIpsecPeerSource? peerSource = null, IpsecChannelResolverOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        Cache = cache;
        _time = timeProvider ?? TimeProvider.System;
        PeerSource = peerSource;
        Options = OptionsValidation.Validated(options, new IpsecChannelResolverOptionsValidator(), o => o.Clone());
    }

    /// <summary>Creates a resolver from options in dependency injection (<c>services.AddIpsecChannelResolver(...)</c>).</summary>
    /// <param name="cache">The kernel mirror resolutions read.</param>
    /// <param name="peerSource">Who names peers, or null.</param>
    /// <param name="options">The settings; the resolver keeps a copy.</param>
    /// <param name="timeProvider">The clock of <see cref="IpsecChannelResolverOptions.PeerLookupTimeout"/>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="OptionsValidationException">A setting is out of range (<see cref="IpsecChannelResolverOptionsValidator"/>).</exception>
    public IpsecChannelResolver(XfrmStateCache cache, IIpsecPeerSource? peerSource, IOptions<IpsecChannelResolverOptions> options,
        TimeProvider? timeProvider = null)
        : this(cache, peerSource, (options ?? throw new ArgumentNullException(nameof(options))).Value, timeProvider)
    {
    }

    /// <summary>The kernel mirror resolutions read.</summary>
    public XfrmStateCache Cache { get; }

    /// <summary>Who names peers, or null.</summary>
    public IIpsecPeerSource? PeerSource { get; }

    /// <summary>
    /// The settings in use: a copy of those given, taken when the resolver was created, which checks them
    /// (<see cref="IpsecChannelResolverOptionsValidator"/>: an <see cref="OptionsValidationException"/> from the
    /// constructor). Treat it as read-only.
    /// </summary>
    public IpsecChannelResolverOptions Options { get; }

    /// <summary>
    /// Dumps the kernel now and resolves one flow (no cache kept): for one-off questions such as the CLI's.
    /// </summary>
    public static async Task<IpsecChannelResolution> ResolveOnceAsync(XfrmClient client, IpsecFlow flow, IIpsecPeerSource? peerSource = null,
        IpsecSocketPolicies? socketPolicies = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(flow);
        XfrmStateCache cache;
        try
        {
            var states = await client.ListStatesAsync(cancellationToken).ConfigureAwait(false);
            var policies = await client.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
            cache = XfrmStateCache.FromDump(states, policies);
        }
        catch (IpsecException e)
        {
            return BackendFailure(flow, e.Error, e.Message);
        }

        await using (cache.ConfigureAwait(false))
        {
            return await new IpsecChannelResolver(cache, peerSource).ResolveAsync(flow, socketPolicies, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Resolves the SA pair from kernel state only (no peer lookup): synchronous, no I/O, a few microseconds from a
    /// warm cache. Not-synchronized caches answer not protected (fail closed).
    /// </summary>
    public IpsecChannelResolution ResolveKernel(IpsecFlow flow, IpsecSocketPolicies? socketPolicies = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var view = Cache.View;
        if (!view.IsUsable)
        {
            return BackendFailure(flow, view.Error, view.Message ?? view.Status.ToString());
        }

        return ChannelMatcher.Resolve(view.Snapshot, flow, socketPolicies);
    }

    /// <summary>Resolves the SA pair, then asks the peer source who the peer is.</summary>
    public async ValueTask<IpsecChannelResolution> ResolveAsync(IpsecFlow flow, IpsecSocketPolicies? socketPolicies = null,
        CancellationToken cancellationToken = default)
    {
        var resolution = ResolveKernel(flow, socketPolicies);
        if (resolution.Channel is not { } channel)
        {
            return resolution;
        }

        var withPeer = await LookUpPeerAsync(channel, cancellationToken).ConfigureAwait(false);
        if (Options.RequirePeer && withPeer.Peer is null)
        {
            return IpsecChannelResolution.NotProtected(flow,
                withPeer.PeerStatus == IpsecPeerStatus.Unreachable ? IpsecNotProtectedReason.KeyManagerUnreachable : IpsecNotProtectedReason.PeerUnknown,
                withPeer.PeerMessage ?? "the peer is unknown");
        }

        return IpsecChannelResolution.Protected(withPeer);
    }

    /// <summary>
    /// Resolves the channel of a connected socket. Its per-socket policies come from
    /// <see cref="IpsecChannelResolverOptions.SocketPolicies"/> when set, else from what this library set on it
    /// (<see cref="IpsecSocketPolicies.FromSocket"/>).
    /// </summary>
    /// <exception cref="IpsecException">NotConnected when the socket is not connected.</exception>
    public ValueTask<IpsecChannelResolution> ResolveAsync(Socket socket, CancellationToken cancellationToken = default)
    {
        var flow = IpsecFlow.FromSocket(socket);
        return ResolveAsync(flow, GetSocketPolicies(socket), cancellationToken);
    }

    /// <summary>The socket policies used for <paramref name="socket"/> (see <see cref="ResolveAsync(Socket, CancellationToken)"/>).</summary>
    public IpsecSocketPolicies? GetSocketPolicies(Socket socket) =>
        Options.SocketPolicies is { } lookup ? lookup(socket) : IpsecSocketPolicies.FromSocket(socket);

    /// <summary>Asks the peer source about a channel; failures leave the peer null with a status and message, never throw.</summary>
    internal async ValueTask<IpsecChannel> LookUpPeerAsync(IpsecChannel channel, CancellationToken cancellationToken)
    {
        if (PeerSource is null)
        {
            return channel.WithPeer(IpsecPeerStatus.NotQueried, null, "no peer source is configured");
        }

        var query = new IpsecPeerQuery(channel.Outbound.RequestId, channel.Inbound.Spi, channel.Outbound.Spi,
            channel.Outbound.Source, channel.Outbound.Destination);
        using var timeout = new LinkedTimeout(Options.PeerLookupTimeout, _time, cancellationToken);
        try
        {
            var peer = await PeerSource.FindPeerAsync(query, timeout.Token).ConfigureAwait(false);
            return peer is null
                ? channel.WithPeer(IpsecPeerStatus.Unknown, null, $"the key manager knows no child SA with reqid {query.RequestId} and SPIs 0x{query.InboundSpi:x8}/0x{query.OutboundSpi:x8}")
                : channel.WithPeer(IpsecPeerStatus.Known, peer, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return channel.WithPeer(IpsecPeerStatus.Failed, null, $"the key manager did not answer within {Options.PeerLookupTimeout.TotalSeconds:0.#} s");
        }
        catch (IpsecException e)
        {
            var status = e.Error is IpsecError.ConnectionRefused or IpsecError.PermissionDenied ? IpsecPeerStatus.Unreachable : IpsecPeerStatus.Failed;
            return channel.WithPeer(status, null, e.Message);
        }
    }

    private static IpsecChannelResolution BackendFailure(IpsecFlow flow, IpsecError error, string message) =>
        IpsecChannelResolution.NotProtected(flow,
            error == IpsecError.PermissionDenied ? IpsecNotProtectedReason.NoPrivilege : IpsecNotProtectedReason.BackendError,
            error == IpsecError.PermissionDenied ? "reading the kernel's IPsec state needs CAP_NET_ADMIN: " + message : message);
}
