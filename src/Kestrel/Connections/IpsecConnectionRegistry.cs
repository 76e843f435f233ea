using System.Collections.Concurrent;
using System.Diagnostics;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Kestrel.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Connections;

/// <summary>
/// The live connections of every <c>UseIpsecChannel</c> endpoint of the process, and the latch alerts that abort them:
/// BROKEN or CLOSED cancels the connection's <see cref="IIpsecChannelFeature.ChannelLost"/> and calls
/// <see cref="ConnectionContext.Abort(ConnectionAbortedException)"/> at once, on the latch database's task.
/// </summary>
internal sealed class IpsecConnectionRegistry(IpsecChannelMetrics metrics, ILogger<IpsecConnectionRegistry> logger)
{
    private readonly ConcurrentDictionary<string, ConnectionEntry> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IpsecLatchHandle, ConnectionEntry> _byLatch = new();

    public IReadOnlyCollection<ConnectionEntry> Connections => [.. _byId.Values];

    public void Attach(IpsecLatchDatabase latches) => latches.Alert += OnAlert;

    public void Detach(IpsecLatchDatabase latches) => latches.Alert -= OnAlert;

    /// <summary>Adds a connection; then checks its latch once more so that a break between latching and here is not missed.</summary>
    public void Add(ConnectionEntry entry, IpsecLatchDatabase? latches)
    {
        _byId[entry.Connection.ConnectionId] = entry;
        if (entry.Feature.Latch is not { } latch || latches is null)
        {
            return;
        }

        _byLatch[latch] = entry;
        try
        {
            var info = latches.Inquire(latch);
            if (info.State != IpsecLatchState.Established)
            {
                Lose(entry, info.State, info.Reason ?? "the latch broke while the connection was accepted", 0);
            }
        }
        catch (Ipsec.IpsecException e)
        {
            Lose(entry, IpsecLatchState.Closed, e.Message, 0);
        }
    }

    public void Remove(ConnectionEntry entry)
    {
        _byId.TryRemove(new KeyValuePair<string, ConnectionEntry>(entry.Connection.ConnectionId, entry));
        if (entry.Feature.Latch is { } latch)
        {
            _byLatch.TryRemove(new KeyValuePair<IpsecLatchHandle, ConnectionEntry>(latch, entry));
        }
    }

    private void OnAlert(object? sender, IpsecLatchAlert alert)
    {
        if (_byLatch.TryGetValue(alert.Handle, out var entry))
        {
            Lose(entry, alert.State, alert.Reason, Stopwatch.GetTimestamp());
        }
    }

    private void Lose(ConnectionEntry entry, IpsecLatchState state, string reason, long alertedAt)
    {
        if (!entry.Feature.OnLatchState(state, reason))
        {
            return;
        }

        entry.Connection.Abort(new ConnectionAbortedException(entry.Feature.Reason ?? reason));
        var delay = alertedAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(alertedAt);
        metrics.LatchLost(state);
        IpsecChannelLog.LatchLostAborted(logger, entry.Connection.ConnectionId, entry.Feature.Latch?.Id ?? 0, state, reason, delay.TotalMilliseconds);
    }
}
