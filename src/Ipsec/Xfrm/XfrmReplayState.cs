namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>The anti-replay state of an SA without ESN (XFRMA_REPLAY_VAL, struct xfrm_replay_state).</summary>
/// <param name="OutboundSequence">Last sequence number sent.</param>
/// <param name="InboundSequence">Highest sequence number received.</param>
/// <param name="Bitmap">The replay window bitmap.</param>
public sealed record XfrmReplayState(uint OutboundSequence, uint InboundSequence, uint Bitmap);
