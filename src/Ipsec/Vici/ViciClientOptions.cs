namespace CbbToolkit.Ipsec.Vici;

/// <summary>
/// Settings of a <see cref="ViciClient"/> (the .NET options pattern: bind it from configuration or set it in code; checked
/// by <see cref="ViciClientOptionsValidator"/>, and by the client when it is created, which keeps a copy).
/// </summary>
public sealed class ViciClientOptions
{
    /// <summary>The path of charon's default VICI socket.</summary>
    public const string DefaultSocketPath = "/var/run/charon.vici";

    /// <summary>The longest timeout or delay accepted.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// The path of the daemon's VICI unix socket, e.g. /var/run/charon.vici. A unix://PATH URI (the form swanctl and
    /// strongSwan's configuration use) is accepted too. Default <see cref="DefaultSocketPath"/>.
    /// </summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>How long a connection attempt may take. Default 5 seconds; positive, at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the daemon may take for each answer (each packet of a streamed command), and how long a command waits
    /// for the one before it on the same client. Commands that wait inside charon (initiate, terminate) pass charon a
    /// timeout a little shorter than this. Default 30 seconds; positive, at most <see cref="MaxTimeout"/>.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The first wait before a subscription reconnects after losing the daemon; it doubles up to
    /// <see cref="MaxReconnectDelay"/>. Default 100 ms; positive, at most <see cref="MaxTimeout"/>.
    /// </summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between reconnection attempts. Default 2 seconds; not shorter than <see cref="ReconnectDelay"/>, at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    internal ViciClientOptions Clone() => (ViciClientOptions)MemberwiseClone();
}
