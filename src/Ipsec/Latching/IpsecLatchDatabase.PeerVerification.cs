using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// Peer verification: rekeyed SAs of a latch with a latched peer are adopted only once the peer source names the same
/// peer for them. It runs off the lock; a newer evaluation of the latch (another rekey, the SAs gone) makes its answer moot.
/// </summary>
public sealed partial class IpsecLatchDatabase
{
    // Running verifications, with the latch generation each was started for (a newer one makes it moot).
    private readonly Dictionary<Task, (LatchEntry Entry, int Generation)> _verifications = [];

    /// <summary>Under the lock.</summary>
    private void StartPeerVerification(LatchEntry entry, int generation, IpsecChannel now)
    {
        var verification = VerifyPeerAsync(entry, generation, now);
        _verifications.Add(verification, (entry, generation));
        _ = verification.ContinueWith(Forget, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        static void Forget(Task done, object? state)
        {
            var db = (IpsecLatchDatabase)state!;
            lock (db._lock)
            {
                db._verifications.Remove(done);
            }
        }
    }

    /// <summary>The verifications whose answer still counts (a moot one may wait out a retry delay; it changes nothing).</summary>
    private Task[] PendingVerifications()
    {
        lock (_lock)
        {
            return [.. _verifications.Where(v => !IsMoot(v.Value.Entry, v.Value.Generation)).Select(v => v.Key)];
        }
    }

    private static bool IsMoot(LatchEntry entry, int generation) =>
        entry.Generation != generation || entry.Released || entry.State is IpsecLatchState.Closed;

    private async Task VerifyPeerAsync(LatchEntry entry, int generation, IpsecChannel now)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding); // off the caller's lock
        try
        {
            var found = await LookUpPeerWithRetriesAsync(entry, generation, now).ConfigureAwait(false);
            List<IpsecLatchAlert> alerts = [];
            lock (_lock)
            {
                if (IsMoot(entry, generation))
                {
                    return;
                }

                entry.Verifying = null;
                if (found.Peer is null)
                {
                    Transition(entry, IpsecLatchState.Broken,
                        $"the peer of the rekeyed SAs 0x{now.Outbound.Spi:x8}/0x{now.Inbound.Spi:x8} could not be confirmed ({found.PeerStatus}: {found.PeerMessage})", alerts);
                }
                else if (!(entry.Peer?.IsSamePeer(found.Peer) ?? string.Equals(entry.PeerId, found.Peer.RemoteId, StringComparison.Ordinal)))
                {
                    Transition(entry, IpsecLatchState.Broken, $"the rekeyed SAs belong to another peer ('{found.Peer.RemoteId}', latched '{entry.PeerId}')", alerts);
                }
                else
                {
                    Adopt(entry, found, alerts);
                }
            }

            Dispatch(alerts);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LatchLog.EvaluationFailed(_logger, e);
        }
    }

    /// <summary>
    /// Asks the peer source up to <see cref="IpsecLatchDatabaseOptions.PeerVerificationAttempts"/> times while it knows
    /// no child SA for the pair (the daemon may list new SAs a moment after installing them); stops asking once moot.
    /// </summary>
    private async Task<IpsecChannel> LookUpPeerWithRetriesAsync(LatchEntry entry, int generation, IpsecChannel now)
    {
        var found = now;
        for (var attempt = 1; attempt <= _options.PeerVerificationAttempts && !_stop.IsCancellationRequested; attempt++)
        {
            lock (_lock)
            {
                if (IsMoot(entry, generation))
                {
                    break;
                }
            }

            found = await _resolver.LookUpPeerAsync(now, _stop.Token).ConfigureAwait(false);
            if (found.Peer is not null || found.PeerStatus != IpsecPeerStatus.Unknown || attempt == _options.PeerVerificationAttempts)
            {
                break;
            }

            await Task.Delay(_options.PeerVerificationRetryDelay, _time, _stop.Token).ConfigureAwait(false);
        }

        return found;
    }
}
