using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Kestrel.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CbbToolkit.Kestrel.Diagnostics;

/// <summary>
/// Unhealthy when the kernel mirror is not synchronized (lookups fail closed meanwhile); degraded when strongSwan does not
/// answer a VICI version request (peers stay unknown, so nothing new is verified); healthy otherwise.
/// </summary>
internal sealed class IpsecChannelsHealthCheck(IpsecChannelServices services, ViciClient vici) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!services.CacheReady.IsCompletedSuccessfully)
        {
            return HealthCheckResult.Unhealthy(services.CacheReady.IsFaulted ? "the XFRM state cache failed to start" : "the XFRM state cache is not started");
        }

        var cache = services.Cache;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["cache"] = cache.Status.ToString(),
            ["states"] = cache.StateCount,
            ["policies"] = cache.PolicyCount,
            ["latches"] = services.Latches.Count,
        };
        if (cache.Status != XfrmStateCacheStatus.Synchronized)
        {
            return HealthCheckResult.Unhealthy($"the XFRM state cache is {cache.Status}: {cache.StatusMessage}", data: data);
        }

        try
        {
            var version = await vici.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            data["vici"] = $"{version.Daemon} {version.Version}";
            return HealthCheckResult.Healthy("kernel mirror synchronized, strongSwan reachable", data);
        }
        catch (Exception e) when (e is Ipsec.IpsecException or IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            data["vici"] = e.Message;
            return HealthCheckResult.Degraded("strongSwan does not answer over VICI: peers stay unknown (not verified)", e, data);
        }
    }
}
