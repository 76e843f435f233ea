using System.Buffers.Binary;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Protocol;

namespace CbbToolkit.Ipsec.Tests.Vici;

/// <summary>
/// A unix-socket peer that plays the daemon's side from a script, to drive the client into the error paths a real
/// charon never takes (malformed frames, silence, dropped connections). Real-charon behaviour is tested in Lab/.
/// </summary>
internal sealed class ScriptedDaemon : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _sessions = [];
    private int _connections;

    public ScriptedDaemon(Func<DaemonSide, int, Task> session)
    {
        _folder = Directory.CreateTempSubdirectory("cbbvs").FullName;
        var path = Path.Combine(_folder, "d.vici");
        Uri = "unix://" + path;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(8);
        _accepting = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                var n = Interlocked.Increment(ref _connections);
                lock (_sessions)
                {
                    _sessions.Add(Task.Run(async () =>
                    {
                        using var side = new DaemonSide(socket, _stop.Token);
                        try
                        {
                            await session(side, n);
                        }
                        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                        {
                        }
                    }));
                }
            }
        });
    }

    public string Uri { get; }

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The daemon's end of one connection.</summary>
    internal sealed class DaemonSide(Socket socket, CancellationToken stop) : IDisposable
    {
        public async Task<ViciPacket> ReceiveAsync()
        {
            var header = new byte[4];
            await ReadAsync(header);
            var segment = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
            await ReadAsync(segment);
            return ViciPacket.Parse(segment);
        }

        /// <summary>Receives one packet and returns its whole segment, header included, exactly as the client sent it.</summary>
        public async Task<byte[]> ReceiveRawAsync()
        {
            var header = new byte[4];
            await ReadAsync(header);
            var segment = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
            await ReadAsync(segment);
            return [.. header, .. segment];
        }

        public Task SendAsync(ViciPacketType type, string? name = null, ViciMessage? message = null) =>
            SendRawAsync(ViciPacket.Encode(type, name, message).ToArray());

        public async Task SendRawAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None, stop);

        /// <summary>Answers EVENT_REGISTER/UNREGISTER with EVENT_CONFIRM and returns the event name.</summary>
        /// <remarks>
        /// <paramref name="beforeConfirm"/> runs before the confirmation goes out: once the client has it, the test may
        /// already be asserting on what the script recorded.
        /// </remarks>
        public async Task<string> ConfirmAsync(ViciPacketType expected, Action<string>? beforeConfirm = null)
        {
            var packet = await ReceiveAsync();
            if (packet.Type != expected)
            {
                throw new InvalidOperationException($"expected {expected}, got {packet.Type}");
            }

            beforeConfirm?.Invoke(packet.Name!);
            await SendAsync(ViciPacketType.EventConfirm);
            return packet.Name!;
        }

        /// <summary>Waits until the client closes its end (or the test ends).</summary>
        public async Task WaitForCloseAsync()
        {
            var buffer = new byte[64];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, stop) > 0)
            {
            }
        }

        public void Dispose() => socket.Dispose();

        private async Task ReadAsync(Memory<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop);
                if (n == 0)
                {
                    throw new IOException("client closed");
                }

                buffer = buffer[n..];
            }
        }
    }
}
