using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Resolution.Caching;
using CbbToolkit.Ipsec.Resolution.Matching;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>Evaluation: one latch against the kernel as the cache holds it now, with the rekey grace period.</summary>
public sealed partial class IpsecLatchDatabase
{
    /// <summary>Compares a latch with what the kernel holds now. Under the lock.</summary>
    private void Evaluate(LatchEntry entry, CacheView view, List<IpsecLatchAlert> alerts)
    {
        if (entry.Flow is null || entry.Channel is null || entry.State is IpsecLatchState.Closed or IpsecLatchState.Listener)
        {
            return;
        }

        if (!view.IsUsable)
        {
            // A short re-read after lost events is waited out; a kernel that cannot be read at all breaks the latch, and
            // so does a held verdict that is due (the grace never outlasts its period).
            if (view.Status == XfrmStateCacheStatus.Failed && entry.State == IpsecLatchState.Established)
            {
                Break(entry, "the kernel's IPsec state cannot be read: " + view.Message, alerts);
            }
            else if (entry.Held is { } held && _grace.HasExpired(held.Since))
            {
                Break(entry, GraceEnded(held), alerts);
            }

            return;
        }

        var resolution = ChannelMatcher.Resolve(view.Snapshot, entry.Flow, entry.SocketPolicies);
        if (resolution.Channel is not { } now)
        {
            var reason = $"the 5-tuple is no longer protected by its SAs ({resolution.Reason}: {resolution.Message})";
            if (resolution.Reason == IpsecNotProtectedReason.PolicyWithoutSa && entry.State == IpsecLatchState.Established)
            {
                Hold(entry, reason, alerts); // the kernel drops the flow's packets meanwhile: nothing flows unprotected
            }
            else
            {
                Break(entry, reason, alerts);
            }

            return;
        }

        var difference = LatchCongruence.Difference(entry.Channel, now);
        if (difference.Length > 0)
        {
            Break(entry, $"an incongruent SA now covers the 5-tuple: {difference}", alerts);
            return;
        }

        if (entry.Held is { } withdrawn)
        {
            entry.Held = null;
            LatchLog.HoldWithdrawn(_logger, entry.Handle, _grace.HeldFor(withdrawn.Since).TotalMilliseconds);
        }

        var spis = (now.Outbound.Spi, now.Inbound.Spi);
        if (spis == (entry.Channel.Outbound.Spi, entry.Channel.Inbound.Spi) || entry.PeerId is null)
        {
            if (entry.Verifying is not null)
            {
                entry.Generation++; // back to SAs already verified: a pending check is moot
                entry.Verifying = null;
            }

            Adopt(entry, now.WithPeer(entry.Channel.PeerStatus, entry.Peer, entry.Channel.PeerMessage), alerts);
            return;
        }

        // New SPIs and a latched peer: the new SAs must be the same peer's.
        if (entry.Verifying == spis)
        {
            return;
        }

        entry.Verifying = spis;
        StartPeerVerification(entry, ++entry.Generation, now);
    }

    /// <summary>
    /// The SAs went away while the policy still requires them: BROKEN only once the grace period has passed without a
    /// congruent successor (at once without a grace period). Under the lock.
    /// </summary>
    private void Hold(LatchEntry entry, string reason, List<IpsecLatchAlert> alerts)
    {
        if (!_grace.IsEnabled)
        {
            Break(entry, reason, alerts);
            return;
        }

        entry.Generation++; // a peer check of SAs that went away is moot
        entry.Verifying = null;
        if (entry.Held is not { } held)
        {
            entry.Held = (_grace.Now, reason);
            LatchLog.BrokenVerdictHeld(_logger, entry.Handle, _grace.Period.TotalMilliseconds, reason);
            return;
        }

        entry.Held = (held.Since, reason);
        if (_grace.HasExpired(held.Since))
        {
            Break(entry, GraceEnded(entry.Held.Value), alerts);
        }
    }

    /// <summary>BROKEN now (if ESTABLISHED); any pending peer check and held verdict end. Under the lock.</summary>
    private void Break(LatchEntry entry, string reason, List<IpsecLatchAlert> alerts)
    {
        entry.Generation++;
        entry.Verifying = null;
        entry.Held = null;
        if (entry.State == IpsecLatchState.Established)
        {
            Transition(entry, IpsecLatchState.Broken, reason, alerts);
        }
    }

    private string GraceEnded((long Since, string Reason) held) =>
        $"{held.Reason}; no congruent SA came within {_grace.HeldFor(held.Since).TotalMilliseconds:0} ms (rekey grace period {_grace.Period.TotalMilliseconds:0} ms)";

    /// <summary>Takes a congruent channel (new SPIs, fresh counters); a BROKEN latch is ESTABLISHED again. Under the lock.</summary>
    private void Adopt(LatchEntry entry, IpsecChannel channel, List<IpsecLatchAlert> alerts)
    {
        var rekeyed = channel.Outbound.Spi != entry.Channel!.Outbound.Spi || channel.Inbound.Spi != entry.Channel.Inbound.Spi;
        entry.Channel = channel;
        if (rekeyed)
        {
            LatchLog.Rekeyed(_logger, entry.Handle, channel.Outbound.Spi, channel.Inbound.Spi);
        }

        if (entry.State == IpsecLatchState.Broken)
        {
            Transition(entry, IpsecLatchState.Established, "a channel congruent with the latched one protects the 5-tuple again", alerts);
        }
    }
}
