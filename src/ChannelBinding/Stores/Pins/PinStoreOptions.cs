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

    /// <summary>$XDG_DATA_HOME/cbb/pins.db, or ~/.local/share/cbb/pins.db when XDG_DATA_HOME is unset or not absolute.</summary>
    public static string DefaultPath
    {
        get
        {
            var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(dataHome) || !System.IO.Path.IsPathRooted(dataHome))
            {
                dataHome = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }

            return System.IO.Path.Combine(dataHome, "cbb", "pins.db");
        }
    }
}
