namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>The anti-replay state of an SA with extended sequence numbers (XFRMA_REPLAY_ESN_VAL, struct xfrm_replay_state_esn).</summary>
public sealed record XfrmReplayStateEsn
{
    /// <summary>Low 32 bits of the last sequence number sent.</summary>
    public uint OutboundSequence { get; init; }
    /// <summary>Low 32 bits of the highest sequence number received.</summary>
    public uint InboundSequence { get; init; }
    /// <summary>High 32 bits of the last sequence number sent.</summary>
    public uint OutboundSequenceHigh { get; init; }
    /// <summary>High 32 bits of the highest sequence number received.</summary>
    public uint InboundSequenceHigh { get; init; }
    /// <summary>The replay window in packets.</summary>
    public uint ReplayWindow { get; init; }
    /// <summary>The window bitmap, 32 packets per word.</summary>
    public IReadOnlyList<uint> Bitmap { get; init; } = [];

    /// <summary>Value equality, bitmap included.</summary>
    public bool Equals(XfrmReplayStateEsn? other) =>
        other is not null && OutboundSequence == other.OutboundSequence && InboundSequence == other.InboundSequence
        && OutboundSequenceHigh == other.OutboundSequenceHigh && InboundSequenceHigh == other.InboundSequenceHigh
        && ReplayWindow == other.ReplayWindow && Bitmap.SequenceEqual(other.Bitmap);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(OutboundSequence, InboundSequence, ReplayWindow, Bitmap.Count);
}
