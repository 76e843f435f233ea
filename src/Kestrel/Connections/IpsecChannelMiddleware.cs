using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel.Diagnostics;
using CbbToolkit.Kestrel.Hosting;
using CbbToolkit.Kestrel.Listener;
using CbbToolkit.Kestrel.Verification;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Connections;

/// <summary>
/// Kestrel connection middleware (the shape of Kestrel's LoggingConnectionMiddleware): resolves, verifies and latches
/// each accepted connection's IPsec channel, sets <see cref="IIpsecChannelFeature"/> on the connection's features (Kestrel's
/// request features fall back to them, as for ITlsConnectionFeature), refuses in Strict mode, and aborts the connection
/// when its latch breaks. A second instance on the same connection (placed after <c>UseHttps</c>) only adds the TLS part
/// of the channel information to the feature the first one set.
/// </summary>
internal sealed class IpsecChannelMiddleware(
    ConnectionDelegate next,
    IpsecChannelEndpointOptions options,
    IpsecChannelServices services,
    IpsecChannelVerifier verifier,
    IpsecConnectionRegistry registry,
    IpsecListenerPolicies listenerPolicies,
    IpsecChannelMetrics metrics,
    TimeProvider time,
    ILogger<IpsecChannelMiddleware> logger)
{
    public async Task OnConnectionAsync(ConnectionContext context)
    {
        if (context.Features.Get<IIpsecChannelFeature>() is IpsecChannelFeature earlier)
        {
            AddTlsInfo(context, earlier);
            await next(context).ConfigureAwait(false);
            return;
        }

        if (options.Mode == IpsecChannelMode.Disabled)
        {
            using var notChecked = new IpsecChannelFeature(IpsecChannelMode.Disabled, null, new(IpsecChannelStatus.NotChecked, "IPsec checks are disabled on this endpoint"), null, null);
            context.Features.Set<IIpsecChannelFeature>(notChecked);
            metrics.Connection("not_checked", IpsecChannelStatus.NotChecked);
            await next(context).ConfigureAwait(false);
            return;
        }

        var feature = await CheckAsync(context).ConfigureAwait(false);
        using (feature)
        {
            context.Features.Set<IIpsecChannelFeature>(feature);
            AddTlsInfo(context, feature);
            var entry = new ConnectionEntry(context, feature, context.LocalEndPoint?.ToString() ?? "?", time.GetUtcNow());
            registry.Add(entry, feature.Latch is null ? null : services.Latches);
            metrics.Active(1);
            try
            {
                if (await RunCallbackAsync(context, feature).ConfigureAwait(false) && Admit(context, feature))
                {
                    await next(context).ConfigureAwait(false);
                }
            }
            finally
            {
                metrics.Active(-1);
                registry.Remove(entry);
                Release(context, feature.Latch);
            }
        }
    }

    // Never throws: whatever fails here becomes the connection's status (fail closed), not an accept-loop fault.
    private async Task<IpsecChannelFeature> CheckAsync(ConnectionContext context)
    {
        var started = Stopwatch.GetTimestamp();
        IpsecChannelResolution? resolution = null;
        IpsecLatchHandle? latch = null;
        try
        {
            await services.CacheReady.WaitAsync(context.ConnectionClosed).ConfigureAwait(false);
            if (context.LocalEndPoint is not IPEndPoint local || context.RemoteEndPoint is not IPEndPoint remote)
            {
                return Fail(new(IpsecChannelStatus.Error, $"the connection is not an IP connection ({context.LocalEndPoint} <- {context.RemoteEndPoint})"));
            }

            var flow = new IpsecFlow(local, remote, ProtocolType.Tcp);
            var socketPolicies = SocketPoliciesOf(context, flow.Local);
            resolution = await services.Resolver.ResolveAsync(flow, socketPolicies, context.ConnectionClosed).ConfigureAwait(false);
            var verdict = verifier.Verify(resolution);
            ChannelInfo? info = null;
            if (resolution.Channel is { } channel)
            {
                if (verdict.Status is IpsecChannelStatus.Verified or IpsecChannelStatus.PeerNotTrusted)
                {
                    try
                    {
                        latch = services.Latches.CreateConnectionLatch(channel, socketPolicies: socketPolicies);
                    }
                    catch (IpsecException e)
                    {
                        IpsecChannelLog.LatchFailed(logger, context.ConnectionId, null, e.Message);
                        verdict = new(IpsecChannelStatus.NotLatched, $"{flow}: the connection could not be latched: {e.Message}");
                    }
                }

                // ipsec-sa-binding hashes the SA pair with its keys: read from the kernel (CAP_NET_ADMIN), only when selected.
                using var kernel = options.ChannelPolicy.ChannelBindings.Includes(Channels.IpsecBindings.IpsecChannelBindings.IpsecSaBinding)
                    ? Ipsec.Xfrm.XfrmClient.Open(services.Cache.NetworkNamespaceName)
                    : null;
                info = (await IpsecChannelInfoConverter.FromChannelAsync(channel, options.ChannelPolicy, kernel,
                    time.GetUtcNow(), context.ConnectionClosed).ConfigureAwait(false)).Info;
            }

            metrics.Resolved(Stopwatch.GetElapsedTime(started));
            return new IpsecChannelFeature(options.Mode, resolution, verdict, latch, info);
        }
        catch (Exception e)
        {
            IpsecChannelLog.CheckFailed(logger, context.ConnectionId, e);
            Release(context, latch);
            return Fail(new(IpsecChannelStatus.Error, $"checking the IPsec channel failed: {e.Message}"), resolution);
        }
    }

    private IpsecChannelFeature Fail(ChannelVerdict verdict, IpsecChannelResolution? resolution = null) =>
        new(options.Mode, resolution, verdict, null, null);

    private IpsecSocketPolicies? SocketPoliciesOf(ConnectionContext context, IPEndPoint local) =>
        (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket ? IpsecSocketPolicies.FromSocket(socket) : null)
        ?? listenerPolicies.ForAccepted(local);

    private async Task<bool> RunCallbackAsync(ConnectionContext context, IpsecChannelFeature feature)
    {
        if (options.OnChannelChecked is not { } callback)
        {
            return true;
        }

        try
        {
            await callback(context, feature).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            IpsecChannelLog.CallbackFailed(logger, context.ConnectionId, e);
            metrics.Connection("refused", IpsecChannelStatus.Error);
            context.Abort(new ConnectionAbortedException("The IPsec channel callback failed."));
            return false;
        }
    }

    private bool Admit(ConnectionContext context, IpsecChannelFeature feature)
    {
        var status = feature.Status;
        if (status == IpsecChannelStatus.Verified)
        {
            IpsecChannelLog.Verified(logger, context.ConnectionId, feature.Resolution?.Channel);
            metrics.Connection("verified", status);
            return true;
        }

        var bindable = status == IpsecChannelStatus.PeerNotTrusted && options.AcceptsBindings;
        if (options.Mode == IpsecChannelMode.Strict && !bindable)
        {
            IpsecChannelLog.Refused(logger, context.ConnectionId, status, feature.Reason);
            metrics.Connection("refused", status);
            context.Abort(new ConnectionAbortedException($"IPsec channel not verified ({status})."));
            return false;
        }

        IpsecChannelLog.AcceptedUnverified(logger, context.ConnectionId, options.Mode, status, feature.Reason);
        metrics.Connection("accepted", status);
        return true;
    }

    private void AddTlsInfo(ConnectionContext context, IpsecChannelFeature feature)
    {
        if (context.Features.Get<ISslStreamFeature>()?.SslStream is not { IsAuthenticated: true } stream)
        {
            return;
        }

        try
        {
            var tls = TlsChannelInfoConverter.FromSslStream(stream, options.ChannelPolicy, time, out _);
            feature.ChannelInfo = ChannelInfoMerge.AddMissing(feature.ChannelInfo, tls);
        }
        catch (Exception e) when (e is IpsecException or InvalidOperationException or ArgumentException)
        {
            IpsecChannelLog.TlsInfoFailed(logger, context.ConnectionId, e.Message);
        }
    }

    private void Release(ConnectionContext context, IpsecLatchHandle? latch)
    {
        if (latch is null)
        {
            return;
        }

        try
        {
            services.Latches.Release(latch);
        }
        catch (Exception e) when (e is IpsecException or ObjectDisposedException)
        {
            IpsecChannelLog.ReleaseFailed(logger, context.ConnectionId, latch, e);
        }
    }
}
