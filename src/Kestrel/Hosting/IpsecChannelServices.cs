using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.DependencyInjection;

namespace CbbToolkit.Kestrel.Hosting;

/// <summary>
/// The per-process IPsec services the connection middleware uses, and the kernel mirror the host started. Connections
/// accepted before start-up completed wait for it; when it failed they fail closed.
/// </summary>
internal sealed class IpsecChannelServices(IServiceProvider services)
{
    private readonly TaskCompletionSource<XfrmStateCache> _cache = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the host has started the cache (or failed to).</summary>
    public Task<XfrmStateCache> CacheReady => _cache.Task;

    /// <summary>The started cache; throws when the host has not started it.</summary>
    public XfrmStateCache Cache => _cache.Task.IsCompletedSuccessfully
        ? _cache.Task.Result
        : throw new InvalidOperationException(
            "The XFRM state cache of AddIpsecChannels is started by the host (IHostedService); it is not running " +
            (_cache.Task.IsFaulted ? "because start-up failed: " + _cache.Task.Exception!.InnerException!.Message : "yet") + ".");

    public IpsecChannelResolver Resolver => services.GetRequiredService<IpsecChannelResolver>();

    public IpsecLatchDatabase Latches => services.GetRequiredService<IpsecLatchDatabase>();

    internal void SetCache(XfrmStateCache cache) => _cache.TrySetResult(cache);

    internal void SetFailed(Exception failure) => _cache.TrySetException(failure);
}
