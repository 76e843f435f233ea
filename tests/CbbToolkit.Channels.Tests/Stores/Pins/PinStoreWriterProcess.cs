using System.Security.Cryptography;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>Runs tests/PinStoreWriter and reads what it acknowledged.</summary>
internal static class PinStoreWriterProcess
{
    /// <summary>tests/PinStoreWriter's build output next to this project's (same configuration and framework).</summary>
    public static string Dll { get; } = Locate();

    public static ChildProcess Start(string store, string prefix, int count, string? gate = null)
    {
        string[] arguments = [Dll, store, prefix, count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. gate is null ? Array.Empty<string>() : [gate]];
        return ChildProcess.Start(DotnetHost.Path, arguments, keepStdinOpen: true); // the writer exits when this process is gone
    }

    /// <summary>Every complete "ACK" line: authority, binding id, SPKI hex and SHA-256 of the secret.</summary>
    public static List<Acknowledged> Acks(string stdout)
    {
        var acks = new List<Acknowledged>();
        foreach (var line in stdout.Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 5 && parts[0] == "ACK" && parts[3].Length == 64 && parts[4].Length == 64)
            {
                acks.Add(new Acknowledged(parts[1], parts[2], parts[3], parts[4]));
            }
        }

        return acks;
    }

    /// <summary>Asserts that <paramref name="store"/> holds exactly what was acknowledged for each authority, secret included.</summary>
    public static void AssertHeld(SqlitePinStore store, IEnumerable<Acknowledged> acks)
    {
        foreach (var ack in acks)
        {
            var pin = store.Find(ack.Authority);
            Assert.True(pin is not null, $"acknowledged pin {ack.Authority} ({ack.BindingId}) is missing from {store.Path}");
            Assert.Equal(ack.BindingId, pin.BindingId.ToString());
            Assert.Equal(ack.SpkiHex, pin.SpkiFingerprint);
            using var record = pin.CreateBindingRecord();
            Assert.Equal(ack.SecretSha256Hex, Convert.ToHexStringLower(SHA256.HashData(StoreRecords.SecretOf(record))));
        }
    }

    private static string Locate()
    {
        // .../tests/CbbToolkit.Channels.Tests/bin/<Configuration>/<tfm>/ -> .../tests/PinStoreWriter/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "PinStoreWriter", "bin", configuration, tfm, "PinStoreWriter.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"PinStoreWriter is not built at {dll} (it is a project reference of this test project).", dll);
    }

    internal sealed record Acknowledged(string Authority, string BindingId, string SpkiHex, string SecretSha256Hex);
}
