using CbbToolkit.Channels.Stores;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>A private (0700) temporary directory for one test's pin store; deleted on Dispose.</summary>
internal sealed class PinStoreDirectory : IDisposable
{
    public PinStoreDirectory() => Directory = System.IO.Directory.CreateTempSubdirectory("cbb-pins-").FullName;

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, "pins.db");

    /// <summary>Opens the store with lookups that always ask SQLite whether another connection wrote.</summary>
    public SqlitePinStore Open(TimeProvider? time = null) => OpenAt(StorePath, time);

    /// <summary>Opens the store at <paramref name="path"/> the same way.</summary>
    public static SqlitePinStore OpenAt(string path, TimeProvider? time = null) =>
        new(Options.Create(new PinStoreOptions { Path = path, RefreshInterval = TimeSpan.Zero }), time);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file; the temp directory is cleaned up by the OS in the end.
        }
    }
}
