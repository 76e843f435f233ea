using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel.Verification;

namespace CbbToolkit.Kestrel.Connections;

/// <summary>
/// One connection's <see cref="IIpsecChannelFeature"/>: the verdict taken at accept, turned to
/// <see cref="IpsecChannelStatus.NotLatched"/> for good when the latch breaks or closes.
/// </summary>
internal sealed class IpsecChannelFeature : IIpsecChannelFeature, IDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly ChannelVerdict _verdict;
    private volatile string? _lostReason;
    private int _latchState;

    public IpsecChannelFeature(IpsecChannelMode mode, IpsecChannelResolution? resolution, ChannelVerdict verdict, IpsecLatchHandle? latch, ChannelInfo? channelInfo)
    {
        Mode = mode;
        Resolution = resolution;
        _verdict = verdict;
        Latch = latch;
        ChannelInfo = channelInfo;
        _latchState = latch is null ? 0 : (int)IpsecLatchState.Established;
    }

    public IpsecChannelMode Mode { get; }

    public IpsecChannelResolution? Resolution { get; }

    public IpsecChannelStatus Status => _lostReason is null ? _verdict.Status : IpsecChannelStatus.NotLatched;

    /// <summary>The status found at accept, before any latch change.</summary>
    public IpsecChannelStatus InitialStatus => _verdict.Status;

    public string? Reason => _lostReason ?? _verdict.Reason;

    public IpsecLatchHandle? Latch { get; }

    public IpsecLatchState? LatchState => _latchState == 0 ? null : (IpsecLatchState)Volatile.Read(ref _latchState);

    public ChannelInfo? ChannelInfo { get; internal set; }

    public CancellationToken ChannelLost => _lost.Token;

    /// <summary>Records a latch state change; BROKEN and CLOSED are final for the connection. True when it just got lost.</summary>
    public bool OnLatchState(IpsecLatchState state, string reason)
    {
        Volatile.Write(ref _latchState, (int)state);
        if (state is not (IpsecLatchState.Broken or IpsecLatchState.Closed) || _lostReason is not null)
        {
            return false;
        }

        _lostReason = $"{Latch} is {state.ToString().ToUpperInvariant()}: {reason}";
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the connection already ended
        }

        return true;
    }

    public void Dispose() => _lost.Dispose();
}
