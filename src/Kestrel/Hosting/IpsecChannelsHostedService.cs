using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel.Connections;
using CbbToolkit.Kestrel.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Hosting;

/// <summary>
/// Starts the kernel mirror, the latch database and the VICI peer source in <see cref="StartingAsync"/> (before any
/// hosted service's StartAsync, so before Kestrel accepts) and stops them with the host.
/// </summary>
internal sealed class IpsecChannelsHostedService(
    IpsecChannelServices holder,
    IServiceProvider services,
    IpsecConnectionRegistry registry,
    IOptions<IpsecChannelsOptions> options,
    ILogger<IpsecChannelsHostedService> logger,
    ILoggerFactory loggerFactory) : IHostedLifecycleService
{
    private static readonly TimeSpan ViciStartupWait = TimeSpan.FromSeconds(1);
    private XfrmStateCache? _cache;
    private IpsecLatchDatabase? _latches;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.StartupTimeout);
        XfrmStateCache cache;
        try
        {
            cache = await XfrmStateCache.StartAsync(o.NetworkNamespace, loggerFactory.CreateLogger<XfrmStateCache>(),
                services.GetService<TimeProvider>(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = new InvalidOperationException($"AddIpsecChannels: the kernel's IPsec state{Where(o)} could not be read within {o.StartupTimeout.TotalSeconds:0.#} s: {e.Message}", e);
            holder.SetFailed(failure);
            throw failure;
        }

        if (cache.Status != XfrmStateCacheStatus.Synchronized)
        {
            var message = $"AddIpsecChannels: the kernel's IPsec state{Where(o)} cannot be read ({cache.Status}: {cache.StatusMessage}). " +
                "Reading SAs and policies over XFRM netlink needs CAP_NET_ADMIN (run as root, or grant the capability: " +
                "setcap cap_net_admin+ep, or AmbientCapabilities=CAP_NET_ADMIN in a systemd unit).";
            IpsecChannelLog.KernelUnreadable(logger, cache.Status, cache.StatusMessage);
            if (o.RequireKernelAccess)
            {
                await cache.DisposeAsync().ConfigureAwait(false);
                var failure = new InvalidOperationException(message);
                holder.SetFailed(failure);
                throw failure;
            }
        }

        _cache = cache;
        holder.SetCache(cache);
        _latches = services.GetRequiredService<IpsecLatchDatabase>();
        registry.Attach(_latches);
        await _latches.StartAsync(cancellationToken).ConfigureAwait(false);
        if (services.GetService<ViciPeerSource>() is { } vici)
        {
            // The subscription keeps retrying in the background; start-up waits for it only briefly.
            using var viciWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            viciWait.CancelAfter(ViciStartupWait);
            try
            {
                await vici.StartAsync(viciWait.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // charon may start later; peers stay unknown (not verified) until it answers, and the health check says so.
                IpsecChannelLog.ViciUnavailable(logger, e.Message);
            }
        }

        IpsecChannelLog.Started(logger, o.NetworkNamespace ?? "(own)", cache.StateCount, cache.PolicyCount);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // After Kestrel stopped: disposing the database closes the latches that are left, which aborts their connections.
        if (_latches is not null)
        {
            registry.Detach(_latches);
            await _latches.DisposeAsync().ConfigureAwait(false);
        }

        if (_cache is not null)
        {
            await _cache.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Where(IpsecChannelsOptions o) => o.NetworkNamespace is null ? "" : $" in network namespace '{o.NetworkNamespace}'";
}
