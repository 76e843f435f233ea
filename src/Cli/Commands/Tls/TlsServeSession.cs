using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Cli.Net;
using CbbToolkit.Cli.Output;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>
/// The accept loop of <c>cbb tls serve</c>: one task per connection, so a slow or broken client never holds up
/// the others, and nothing a client does can end the loop; it ends on Ctrl-C/SIGTERM or after <c>count</c> reports.
/// The handshake timeout, the pause after a failed accept and created-at run on <c>time</c>.
/// </summary>
internal sealed class TlsServeSession(
    SslServerAuthenticationOptions options, ReportWriter reports, TextWriter status, int count, TimeSpan timeout, TimeProvider time,
    CancellationToken interrupt)
{
    private readonly Lock _gate = new();
    private int _printed;

    /// <summary>Accepts until stopped; returns how many connections were printed.</summary>
    public async Task<int> RunAsync(Socket listener)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var connections = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException e)
                {
                    // E.g. EMFILE or a connection reset before accept: report, breathe, keep serving.
                    Status($"accept failed: {e.Message}");
                    await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(Task.Run(() => HandleAsync(client, stop), CancellationToken.None));
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false); // Ends handshakes still in flight.
            await Task.WhenAll(connections).ConfigureAwait(false);
        }

        lock (_gate)
        {
            return _printed;
        }
    }

    private async Task HandleAsync(Socket socket, CancellationTokenSource stop)
    {
        var local = socket.LocalEndPoint;
        var remote = socket.RemoteEndPoint;
        var from = HostPort.Format(remote);
        try
        {
            socket.NoDelay = true;
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await using (tls.ConfigureAwait(false))
            {
                using var timer = new CancellationTokenSource(timeout, time);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timer.Token);
                try
                {
                    await tls.AuthenticateAsServerAsync(options, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException)
                {
                    Status($"connection from {from}: no TLS handshake within {timeout.TotalSeconds} s; closed");
                    return;
                }
                catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
                {
                    Status($"connection from {from}: TLS handshake failed: {TlsOptions.Describe(e)}");
                    return;
                }

                ChannelInfo info;
                IReadOnlyList<ChannelInfoOmission> omitted;
                try
                {
                    info = TlsChannelInfoConverter.FromSslStream(tls, IpsecPolicy.Default, time, out omitted);
                }
                catch (IpsecException e)
                {
                    Status($"connection from {from}: cannot compute its channel info: {e.Message} ({e.Error})");
                    return;
                }

                var report = ChannelInfoReport.Create(info, ChannelRole.Server, local, remote, tls.TargetHostName, omitted);
                bool last;
                lock (_gate)
                {
                    if (count > 0 && _printed >= count)
                    {
                        return; // Raced past the last one: --count means exactly N reports.
                    }

                    _printed++;
                    reports.Write(report, $"connection {_printed.ToString(CultureInfo.InvariantCulture)}");
                    last = count > 0 && _printed == count;
                }

                if (last)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }

                await TlsClose.QuietlyAsync(tls, time).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // One connection's surprise must not end the server: report it and carry on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Status($"connection from {from}: unexpected error: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Status(string message)
    {
        lock (_gate)
        {
            status.WriteLine(message);
            status.Flush();
        }
    }
}
