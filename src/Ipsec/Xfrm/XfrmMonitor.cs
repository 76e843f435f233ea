using CbbToolkit.Ipsec.Netlink;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// A netlink socket joined to the XFRM multicast groups ACQUIRE, EXPIRE, SA and POLICY. It receives from the moment it
/// is opened, so open it before causing what you want to see. When the kernel drops events because they were not read
/// fast enough, <see cref="ReadAsync"/> throws once with <see cref="IpsecError.NoBufferSpace"/>; the monitor stays
/// usable, and whoever mirrors kernel state must dump it again.
/// </summary>
public sealed class XfrmMonitor : IDisposable
{
    private const int GroupAcquire = 1;
    private const int GroupExpire = 2;
    private const int GroupSa = 3;
    private const int GroupPolicy = 4;

    private readonly NetlinkSocket _socket;
    private readonly byte[] _buffer = new byte[NetlinkSocket.ReceiveBufferLength];
    private readonly Queue<XfrmEvent> _pending = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    private XfrmMonitor(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens a monitor in the caller's network namespace or a named one.</summary>
    public static XfrmMonitor Open(string? networkNamespace = null) => Open(networkNamespace, receiveBufferSize: null);

    internal static XfrmMonitor Open(string? networkNamespace, int? receiveBufferSize)
    {
        var socket = XfrmClient.OpenSocket(networkNamespace);
        try
        {
            if (receiveBufferSize is { } size)
            {
                socket.SetReceiveBufferSize(size);
            }

            foreach (var group in (int[])[GroupAcquire, GroupExpire, GroupSa, GroupPolicy])
            {
                socket.JoinGroup(group);
            }

            return new XfrmMonitor(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next event.</summary>
    /// <exception cref="IpsecException">NoBufferSpace when events were lost; BadMessage for a malformed message.</exception>
    public async ValueTask<XfrmEvent> ReadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_pending.Count == 0)
            {
                var received = await _socket.ReceiveAsync(_buffer, cancellationToken).ConfigureAwait(false);
                Decode(_buffer.AsSpan(0, received), _pending);
            }

            return _pending.Dequeue();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Streams events until cancelled.</summary>
    public async IAsyncEnumerable<XfrmEvent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            yield return await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Leaves the groups and closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    internal static void Decode(ReadOnlySpan<byte> datagram, Queue<XfrmEvent> events)
    {
        var reader = new NetlinkReader(datagram);
        while (reader.TryRead(out var header, out var payload))
        {
            switch (header.Type)
            {
                case NetlinkMessageType.Noop or NetlinkMessageType.Done:
                    break;
                case NetlinkMessageType.Error:
                    var error = NetlinkError.Parse(header.Flags, payload);
                    if (!error.IsAck)
                    {
                        throw XfrmErrors.FromKernel(error, "monitoring XFRM events");
                    }

                    break;
                case NetlinkMessageType.Overrun:
                    throw new IpsecException(IpsecError.NoBufferSpace, "The kernel reported a netlink overrun: XFRM events were lost.");
                default:
                    events.Enqueue(XfrmEventCodec.Read(header.Type, payload));
                    break;
            }
        }
    }
}
