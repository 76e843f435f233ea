using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Http.Connections;

// The stream the ConnectCallback hands SocketsHttpHandler. It carries the connection's IpsecConnectionInfo (the TLS
// callbacks find it as SslStream.InnerStream) and, when latched, watches the latch: when it breaks, the socket is closed
// at once and every read or write after that fails with IpsecChannelRefusedException(LatchBroken), so the request in
// flight fails with the reason and SocketsHttpHandler opens (and re-verifies) a fresh connection for the next one.
internal sealed class ConnectionStream : Stream
{
    private readonly Stream _inner;
    private readonly IpsecLatchDatabase? _latches;
    private readonly IpsecLatchHandle? _handle;
    private readonly IpsecFlow _flow;
    private readonly Action<IpsecFlow, string> _onBroken;
    private volatile string? _brokenReason;
    private int _disposed;

    public ConnectionStream(Stream inner, IpsecConnectionInfo info, IpsecLatchDatabase? latches, Action<IpsecFlow, string> onBroken)
    {
        _inner = inner;
        Info = info;
        _flow = info.Flow;
        _onBroken = onBroken;
        if (latches is not null && info.Latch is { } handle)
        {
            _latches = latches;
            _handle = handle;
            _latches.Alert += OnAlert;
            // The latch may have broken between creation and subscription.
            if (_latches.Inquire(_handle).State is IpsecLatchState.Broken or IpsecLatchState.Closed)
            {
                Break("the latch broke before the connection was handed out");
            }
        }
    }

    public IpsecConnectionInfo Info { get; }

    public bool IsBroken => _brokenReason is not null;

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Guard(() => _inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBroken && e is not IpsecChannelRefusedException)
        {
            throw BrokenException(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Guard(() =>
    {
        _inner.Write(buffer, offset, count);
        return 0;
    });

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBroken && e is not IpsecChannelRefusedException)
        {
            throw BrokenException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_latches is not null)
            {
                _latches.Alert -= OnAlert;
                _latches.Release(_handle!);
            }

            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnAlert(object? sender, IpsecLatchAlert alert)
    {
        if (alert.Handle.Id == _handle!.Id)
        {
            if (alert.State is IpsecLatchState.Broken or IpsecLatchState.Closed)
            {
                Break(alert.Reason);
            }
        }
    }

    private void Break(string reason)
    {
        if (Interlocked.CompareExchange(ref _brokenReason, reason, null) is null)
        {
            _onBroken(_flow, reason);
            _inner.Dispose(); // aborts the read or write in flight
        }
    }

    private T Guard<T>(Func<T> io)
    {
        ThrowIfBroken();
        try
        {
            return io();
        }
        catch (Exception e) when (IsBroken && e is not IpsecChannelRefusedException)
        {
            throw BrokenException(e);
        }
    }

    private void ThrowIfBroken()
    {
        if (IsBroken)
        {
            throw BrokenException(null);
        }
    }

    private IpsecChannelRefusedException BrokenException(Exception? inner) =>
        new(IpsecChannelRefusal.LatchBroken, _flow, $"{_flow}: the IPsec latch broke ({_brokenReason}); the connection was closed.", inner);
}
