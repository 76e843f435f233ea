namespace CbbToolkit.Ipsec.Vici;

/// <summary>Settings of a <see cref="ViciClient"/>.</summary>
public sealed record ViciClientOptions
{
    /// <summary>The path of charon's default VICI socket.</summary>
    public const string DefaultSocketPath = "/var/run/charon.vici";

    /// <summary>
    /// The path of the daemon's VICI unix socket, e.g. /var/run/charon.vici. A unix://PATH URI (the form swanctl and
    /// strongSwan's configuration use) is accepted too.
    /// </summary>
    public string SocketPath { get; init; } = DefaultSocketPath;

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the daemon may take for each answer (each packet of a streamed command), and how long a command waits
    /// for the one before it on the same client. Commands that wait inside charon (initiate, terminate) pass charon a
    /// timeout a little shorter than this.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before a subscription reconnects after losing the daemon; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);
}
