namespace CbbToolkit.Channels.Stores;

/// <summary>Options of <see cref="SqlitePinStore"/> (validated by <see cref="PinStoreOptionsValidator"/>).</summary>
public sealed class PinStoreOptions
{
    /// <summary>The store file; null for <see cref="DefaultPath"/>.</summary>
    public string? Path { get; set; }

    /// <summary>How long a write waits for another process's write to finish before failing. Default 10 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long lookups trust the in-memory copy before asking SQLite whether another process changed the store
    /// (PRAGMA data_version, then a reload if it did). Writes by this store are seen at once. Default 1 s.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// $XDG_CONFIG_HOME/cbb/pins.db, or ~/.config/cbb/pins.db when XDG_CONFIG_HOME is unset or not absolute (the XDG
    /// base directory rule): the user's own trust decisions, like OpenSSH's ~/.ssh/known_hosts.
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(configHome) || !System.IO.Path.IsPathRooted(configHome))
            {
                configHome = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            }

            return System.IO.Path.Combine(configHome, "cbb", "pins.db");
        }
    }
}
