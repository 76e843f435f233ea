using System.Net.Security;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>Ends a TLS connection politely (close_notify) without letting a peer that already left fail the command.</summary>
internal static class TlsClose
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>Sends close_notify, waiting at most a short grace period on <paramref name="time"/>; errors are ignored (the values are already printed).</summary>
    public static async Task QuietlyAsync(SslStream stream, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            await stream.ShutdownAsync().WaitAsync(Grace, time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException or InvalidOperationException
                                       or System.Net.Sockets.SocketException)
        {
            // The peer closed first or reset: nothing left to say to it.
        }
    }
}
