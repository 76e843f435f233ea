using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// Request/response over one netlink socket: one exchange at a time, replies matched by sequence number (stale
/// replies of an abandoned exchange are skipped), multi-part dumps followed to NLMSG_DONE, NLMSG_ERROR turned into the
/// caller's typed error. An exchange that ends abnormally (cancelled, malformed reply) may leave a dump running in the
/// kernel, so the socket is replaced before the next one. With <c>clearReceived</c> the receive buffer is zeroed
/// when the exchange ends, however it ends (for replies that carry SA keys).
/// </summary>
internal sealed class NetlinkChannel : IDisposable
{
    private readonly Func<NetlinkSocket> _open;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _buffer = new byte[NetlinkSocket.ReceiveBufferLength];
    private NetlinkSocket? _socket;
    private bool _disposed;

    public NetlinkChannel(Func<NetlinkSocket> open)
    {
        _open = open;
        _socket = open();
    }

    public async Task ExchangeAsync(
        NetlinkWriter request,
        NetlinkExchangeKind kind,
        NetlinkMessageCallback onMessage,
        Func<NetlinkError, Exception> onError,
        CancellationToken cancellationToken,
        bool clearReceived = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var socket = _socket ??= _open();
            var sequence = NetlinkMessageHeader.Read(request.WrittenSpan).Sequence;
            var healthy = false;
            var dirty = 0;
            try
            {
                await socket.SendAsync(request.WrittenMemory, cancellationToken).ConfigureAwait(false);
                var state = new ExchangeState();
                while (!state.Finished)
                {
                    var received = await socket.ReceiveAsync(_buffer, cancellationToken).ConfigureAwait(false);
                    dirty = Math.Max(dirty, received);
                    Dispatch(_buffer.AsSpan(0, received), sequence, kind, onMessage, onError, ref state);
                }

                healthy = true;
                if (state.Failure is not null)
                {
                    throw state.Failure;
                }

                if (state.Interrupted)
                {
                    throw new IpsecException(IpsecError.TryAgain,
                        "The kernel interrupted the dump because the table changed meanwhile (NLM_F_DUMP_INTR); dump again.");
                }
            }
            finally
            {
                if (clearReceived)
                {
                    // The replies held secrets (SA keys): they must not outlive the exchange in our buffer.
                    CryptographicOperations.ZeroMemory(_buffer.AsSpan(0, dirty));
                }

                if (!healthy)
                {
                    socket.Dispose();
                    _socket = null;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Several non-dump requests sent in one datagram (one sendmsg, so one trip into the kernel, which answers each in
    /// turn), replies matched to their request by sequence number. A request's reply goes to <paramref name="onMessage"/>
    /// only when every earlier request of the batch was answered by a message: the kernel answers in request order, so
    /// a reply out of that order, or after an earlier refusal, is drained but never handed over. All replies are read
    /// before returning, so none is left queued on the socket (they may carry keys).
    /// </summary>
    public async Task<NetlinkBatchOutcome[]> ExchangeBatchAsync(
        NetlinkWriter request,
        NetlinkBatchMessageCallback onMessage,
        Func<int, NetlinkError, Exception> onError,
        CancellationToken cancellationToken,
        bool clearReceived = false)
    {
        var sequences = Sequences(request.WrittenSpan);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var socket = _socket ??= _open();
            var healthy = false;
            var dirty = 0;
            try
            {
                await socket.SendAsync(request.WrittenMemory, cancellationToken).ConfigureAwait(false);
                var states = new BatchState[sequences.Length];
                var open = sequences.Length;
                while (open > 0)
                {
                    var received = await socket.ReceiveAsync(_buffer, cancellationToken).ConfigureAwait(false);
                    dirty = Math.Max(dirty, received);
                    open -= DispatchBatch(_buffer.AsSpan(0, received), sequences, onMessage, onError, states);
                }

                healthy = true;
                return Array.ConvertAll(states, s => new NetlinkBatchOutcome(s.Answered, s.Failure));
            }
            finally
            {
                if (clearReceived)
                {
                    CryptographicOperations.ZeroMemory(_buffer.AsSpan(0, dirty));
                }

                if (!healthy)
                {
                    socket.Dispose();
                    _socket = null;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The receive buffer, for the tests that check it holds no key once an exchange has ended.</summary>
    internal ReadOnlySpan<byte> ReceiveBuffer => _buffer;

    public void Dispose()
    {
        // A synchronous, real-time bound (no TimeProvider): Dispose blocks its thread, and only guards against an
        // exchange that never returns; the exchange itself is cancelled on the client's clock (XfrmClient.RequestTimeout).
        if (_gate.Wait(TimeSpan.FromSeconds(5)))
        {
            _disposed = true;
            _socket?.Dispose();
            _socket = null;
            _gate.Release();
        }
        else
        {
            _disposed = true;
            _socket?.Dispose();
        }
    }

    private static void Dispatch(
        ReadOnlySpan<byte> datagram,
        uint sequence,
        NetlinkExchangeKind kind,
        NetlinkMessageCallback onMessage,
        Func<NetlinkError, Exception> onError,
        ref ExchangeState state)
    {
        var reader = new NetlinkReader(datagram);
        while (!state.Finished && reader.TryRead(out var header, out var payload))
        {
            if (header.Sequence != sequence)
            {
                continue;
            }

            state.Interrupted |= (header.Flags & NetlinkMessageFlags.DumpInterrupted) != 0;
            switch (header.Type)
            {
                case NetlinkMessageType.Noop:
                    break;
                case NetlinkMessageType.Error:
                    var error = NetlinkError.Parse(header.Flags, payload);
                    state.Failure = error.IsAck ? null : onError(error);
                    state.Finished = true;
                    break;
                case NetlinkMessageType.Done:
                    var code = payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                    state.Failure = code < 0 && code >= -4095 ? onError(new NetlinkError(-code, null, null)) : null;
                    state.Finished = true;
                    break;
                case NetlinkMessageType.Overrun:
                    state.Failure = new IpsecException(IpsecError.NoBufferSpace, "The kernel reported a netlink overrun; the reply is incomplete.");
                    state.Finished = true;
                    break;
                default:
                    onMessage(header, payload);
                    state.Finished = kind == NetlinkExchangeKind.Get && (header.Flags & NetlinkMessageFlags.Multi) == 0;
                    break;
            }
        }
    }

    private static uint[] Sequences(ReadOnlySpan<byte> request)
    {
        var sequences = new List<uint>(2);
        var reader = new NetlinkReader(request);
        while (reader.TryRead(out var header, out _))
        {
            if (header.Type is NetlinkMessageType.Done || (header.Flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump
                || sequences.Contains(header.Sequence))
            {
                throw new ArgumentException("A batch holds non-dump requests with distinct sequence numbers.", nameof(request));
            }

            sequences.Add(header.Sequence);
        }

        return sequences.Count > 0 ? [.. sequences] : throw new ArgumentException("The batch holds no request.", nameof(request));
    }

    // Returns how many requests of the batch this datagram finished.
    private static int DispatchBatch(
        ReadOnlySpan<byte> datagram,
        uint[] sequences,
        NetlinkBatchMessageCallback onMessage,
        Func<int, NetlinkError, Exception> onError,
        BatchState[] states)
    {
        var finished = 0;
        var reader = new NetlinkReader(datagram);
        while (reader.TryRead(out var header, out var payload))
        {
            var index = Array.IndexOf(sequences, header.Sequence);
            if (index < 0 || states[index].Finished)
            {
                continue; // a stale reply of an abandoned exchange, or a repeat
            }

            ref var state = ref states[index];
            switch (header.Type)
            {
                case NetlinkMessageType.Noop:
                    continue;
                case NetlinkMessageType.Error:
                    var error = NetlinkError.Parse(header.Flags, payload);
                    state.Failure = error.IsAck ? null : onError(index, error);
                    break;
                case NetlinkMessageType.Overrun:
                    state.Failure = new IpsecException(IpsecError.NoBufferSpace, "The kernel reported a netlink overrun; the reply is incomplete.");
                    break;
                case NetlinkMessageType.Done:
                    break;
                default:
                    if (EarlierAnswered(states, index))
                    {
                        state.Answered = true;
                        onMessage(index, header, payload);
                    }

                    if ((header.Flags & NetlinkMessageFlags.Multi) != 0)
                    {
                        continue; // a multi-part answer ends with NLMSG_DONE
                    }

                    break;
            }

            state.Finished = true;
            finished++;
        }

        return finished;
    }

    private static bool EarlierAnswered(BatchState[] states, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (!states[i].Finished || !states[i].Answered || states[i].Failure is not null)
            {
                return false;
            }
        }

        return true;
    }

    private struct BatchState
    {
        public bool Finished;
        public bool Answered;
        public Exception? Failure;
    }

    private struct ExchangeState
    {
        public bool Finished;
        public bool Interrupted;
        public Exception? Failure;
    }
}
