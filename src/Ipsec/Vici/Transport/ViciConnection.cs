using System.Buffers.Binary;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Vici.Protocol;

namespace CbbToolkit.Ipsec.Vici.Transport;

/// <summary>
/// One stream connection to the daemon: sends whole segments and receives them one at a time.
/// Transport failures become <see cref="IpsecException"/> with <see cref="IpsecError.ConnectionRefused"/>
/// (or PermissionDenied for socket permissions); bad framing becomes <see cref="ViciProtocolException"/>.
/// Not thread-safe: the client serializes use.
/// </summary>
internal sealed class ViciConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly ViciEndpoint _endpoint;
    private readonly byte[] _header = new byte[ViciLimits.HeaderLength];

    private ViciConnection(Socket socket, ViciEndpoint endpoint)
    {
        _socket = socket;
        _endpoint = endpoint;
    }

    public static async Task<ViciConnection> ConnectAsync(ViciEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(endpoint.EndPoint, cancellationToken).ConfigureAwait(false);
            return new ViciConnection(socket, endpoint);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw e.SocketErrorCode == SocketError.AccessDenied
                ? new IpsecException(IpsecError.PermissionDenied, $"No permission to connect to the IKE daemon at {endpoint.Path} (socket permissions).", e)
                : new IpsecException(IpsecError.ConnectionRefused, $"The IKE daemon is not reachable at {endpoint.Path}: {e.Message}.", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the socket is readable while no answer is due: the daemon closed it (restart) or sent something unasked.
    /// Either way the connection must not carry the next command.
    /// </summary>
    public bool IsUnusable
    {
        get
        {
            try
            {
                return _socket.Poll(0, SelectMode.SelectRead) || _socket.Poll(0, SelectMode.SelectError);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> segment, CancellationToken cancellationToken)
    {
        try
        {
            while (!segment.IsEmpty)
            {
                var sent = await _socket.SendAsync(segment, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                segment = segment[sent..];
            }
        }
        catch (SocketException e)
        {
            throw Lost(e.Message, e);
        }
    }

    /// <summary>Receives one segment and splits it into a packet.</summary>
    public async Task<ViciPacket> ReceiveAsync(CancellationToken cancellationToken)
    {
        await ReadExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt32BigEndian(_header);
        if (length is 0 or > ViciLimits.MaxSegmentLength)
        {
            throw new ViciProtocolException($"segment length {length} is outside 1..{ViciLimits.MaxSegmentLength}", 0);
        }

        var segment = new byte[length];
        await ReadExactlyAsync(segment, cancellationToken).ConfigureAwait(false);
        return ViciPacket.Parse(segment);
    }

    public void Dispose() => _socket.Dispose();

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw Lost("the daemon closed the connection", null);
                }

                buffer = buffer[read..];
            }
        }
        catch (SocketException e)
        {
            throw Lost(e.Message, e);
        }
    }

    private IpsecException Lost(string why, Exception? inner) =>
        new(IpsecError.ConnectionRefused, $"Lost the connection to the IKE daemon at {_endpoint.Path}: {why}.", inner);
}
