using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Lab.Tests.NullAuth;

/// <summary>
/// One end's RFC 5660 latch database over its own kernel (an SA cache following that namespace's XFRM events): what
/// the binding exchange's "latch ESTABLISHED" check reads in an application.
/// </summary>
internal sealed class LatchEnd : IAsyncDisposable
{
    private readonly XfrmStateCache _cache;
    private readonly IpsecLatchDatabase _latches;

    private LatchEnd(XfrmStateCache cache, IpsecLatchDatabase latches)
    {
        _cache = cache;
        _latches = latches;
    }

    public static async Task<LatchEnd> StartAsync(string ns, CancellationToken ct)
    {
        var cache = await XfrmStateCache.StartAsync(ns, cancellationToken: ct);
        return new LatchEnd(cache, new IpsecLatchDatabase(new IpsecChannelResolver(cache)));
    }

    /// <summary>Latches the connection on <paramref name="channel"/> and returns the latch's state now.</summary>
    public IpsecLatchState Latch(IpsecChannel channel) => _latches.Inquire(_latches.CreateConnectionLatch(channel)).State;

    public async ValueTask DisposeAsync()
    {
        await _latches.DisposeAsync();
        await _cache.DisposeAsync();
    }
}
