using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Caching;

/// <summary>An open XFRM event stream.</summary>
internal interface IXfrmEventReader : IDisposable
{
    /// <summary>The next event; NoBufferSpace when the kernel dropped events.</summary>
    ValueTask<XfrmEvent> ReadAsync(CancellationToken cancellationToken);
}
