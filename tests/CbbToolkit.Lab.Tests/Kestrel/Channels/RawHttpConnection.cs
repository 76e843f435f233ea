using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CbbToolkit.Lab.Tests.Kestrel.Channels;

/// <summary>
/// One HTTP/1.1 keep-alive connection over a raw socket, so that the test sees exactly when the server ends it and that
/// nothing more arrives (HttpClient would hide both behind its pool).
/// </summary>
internal sealed class RawHttpConnection(Socket socket) : IDisposable
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly MemoryStream _pending = new();

    public Socket Socket => socket;

    public Task SendGetAsync(string path, CancellationToken ct, string? extraHeaders = null) =>
        socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: b.test\r\n{extraHeaders}\r\n"), ct).AsTask();

    /// <summary>One response: status line and body (Content-Length or chunked not used by the test endpoints beyond Content-Length).</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, CancellationToken ct)
    {
        await SendGetAsync(path, ct);
        return await ReadResponseAsync(ct);
    }

    public async Task<(int Status, string Body)> ReadResponseAsync(CancellationToken ct)
    {
        while (true)
        {
            var text = Encoding.ASCII.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var head = text[..end];
                var length = 0;
                var chunked = false;
                foreach (var line in head.Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }

                    chunked |= line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }

                if (chunked)
                {
                    var last = text.IndexOf("\r\n0\r\n\r\n", end, StringComparison.Ordinal);
                    if (last >= 0)
                    {
                        Consume(last + 7);
                        return (Status(head), Dechunk(text[(end + 4)..(last + 2)]));
                    }
                }
                else if (text.Length >= end + 4 + length)
                {
                    Consume(end + 4 + length);
                    return (Status(head), text.Substring(end + 4, length));
                }
            }

            var n = await socket.ReceiveAsync(_buffer, ct);
            if (n == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            _pending.Write(_buffer, 0, n);
        }
    }

    /// <summary>
    /// Waits until the server ends the connection (FIN or reset); returns when that was seen (Stopwatch time) and how many
    /// bytes arrived before it.
    /// </summary>
    public async Task<(long At, int BytesBefore)> WaitForEndAsync(CancellationToken ct)
    {
        var bytes = 0;
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(_buffer, ct)) > 0)
            {
                bytes += n;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
        {
            // a reset ends it too
        }

        return (Stopwatch.GetTimestamp(), bytes);
    }

    public void Dispose()
    {
        socket.Dispose();
        _pending.Dispose();
    }

    private static int Status(string head) => int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < body.Length)
        {
            var eol = body.IndexOf("\r\n", i, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[i..eol], 16);
            result.Append(body, eol + 2, size);
            i = eol + 2 + size + 2;
        }

        return result.ToString();
    }

    private void Consume(int count)
    {
        var rest = _pending.GetBuffer().AsSpan(count, (int)_pending.Length - count).ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
    }
}
