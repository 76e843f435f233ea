using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Cli.Commands.Ipsec;

/// <summary>
/// Asks strongSwan over VICI only when the resolver found a channel: an unprotected flow never touches the daemon.
/// </summary>
internal sealed class OnDemandPeerSource(string socketPath) : IIpsecPeerSource, IAsyncDisposable
{
    private ViciPeerSource? _source;

    /// <inheritdoc/>
    public ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default) =>
        (_source ??= new ViciPeerSource(socketPath)).FindPeerAsync(query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _source?.DisposeAsync() ?? ValueTask.CompletedTask;
}
