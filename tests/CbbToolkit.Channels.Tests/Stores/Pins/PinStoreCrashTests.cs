using System.Diagnostics;
using System.Globalization;
using CbbToolkit.Testing.Processes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>
/// The pin store's durability against real crashes: a writer process (tests/PinStoreWriter) is killed with SIGKILL at
/// random moments - while it starts, while it opens or creates the store, between and inside its writes - and every pin
/// it acknowledged must be in the store when it is opened again, which must open cleanly (no damaged pin, SQLite's
/// integrity_check "ok"). The soak run (docs/pin-store.md) is this test with CBB_PIN_KILL_CYCLES=1000.
/// </summary>
public sealed class PinStoreCrashTests
{
    private const int DefaultCycles = 200;
    private const int Lanes = 4; // writers killed side by side, one store each: most of a cycle is process start-up and fsync waits
    private const int CyclesPerStore = 20; // then a fresh store, so store creation is killed too

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillNine_AtRandomMoments_LosesNoAcknowledgedPin()
    {
        var cycles = EnvInt("CBB_PIN_KILL_CYCLES") ?? DefaultCycles;
        var seed = EnvInt("CBB_PIN_KILL_SEED") ?? Random.Shared.Next();
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"{cycles} kill -9 cycles in {Lanes} lanes, seed {seed} (CBB_PIN_KILL_SEED={seed} repeats the timing choices)");
        var clock = Stopwatch.StartNew();
        var lanes = await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane =>
            Task.Run(() => RunLaneAsync(lane, cycles / Lanes + (lane < cycles % Lanes ? 1 : 0), new Random(seed + lane)), Ct)));
        clock.Stop();

        var total = lanes.Aggregate(LaneStats.Zero, (a, b) => a + b);
        output.WriteLine($"{total.Cycles} cycles in {clock.Elapsed.TotalSeconds:F1} s: {total.Acks} pins acknowledged and found again; " +
            $"killed before the store was open {total.KilledBeforeOpen}x, after it was open with no pin acknowledged {total.KilledOpenNoAck}x, " +
            $"during the writes {total.KilledWriting}x; {total.Stores} stores; slowest reopen+check {total.SlowestCheck.TotalMilliseconds:F0} ms");
        Assert.Equal(cycles, total.Cycles);
        // The kills must really land in both phases, or the test proves less than it says.
        Assert.True(total.KilledBeforeOpen > 0, "no kill landed before the store was open");
        Assert.True(total.KilledWriting >= cycles / 4, $"only {total.KilledWriting} of {cycles} kills landed while pins were being written");
    }

    private static async Task<LaneStats> RunLaneAsync(int lane, int cycles, Random random)
    {
        var stats = LaneStats.Zero;
        PinStoreDirectory? directory = null;
        var acknowledged = new List<PinStoreWriterProcess.Acknowledged>();
        try
        {
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                if (cycle % CyclesPerStore == 0)
                {
                    directory?.Dispose();
                    directory = new PinStoreDirectory();
                    acknowledged.Clear();
                    stats = stats with { Stores = stats.Stores + 1 };
                }

                var (acks, phase) = await KillOnceAsync(directory!.StorePath, $"l{lane}c{cycle}", random);
                acknowledged.AddRange(acks);
                stats = phase switch
                {
                    Phase.BeforeOpen => stats with { KilledBeforeOpen = stats.KilledBeforeOpen + 1 },
                    Phase.OpenNoAck => stats with { KilledOpenNoAck = stats.KilledOpenNoAck + 1 },
                    _ => stats with { KilledWriting = stats.KilledWriting + 1 },
                };

                var check = Stopwatch.StartNew();
                ReopenAndCheck(directory.StorePath, acknowledged, $"lane {lane} cycle {cycle} ({phase})");
                check.Stop();
                stats = stats with
                {
                    Cycles = stats.Cycles + 1,
                    Acks = stats.Acks + acks.Count,
                    SlowestCheck = check.Elapsed > stats.SlowestCheck ? check.Elapsed : stats.SlowestCheck,
                };
            }
        }
        finally
        {
            directory?.Dispose();
        }

        return stats;
    }

    private static async Task<(List<PinStoreWriterProcess.Acknowledged> Acks, Phase Phase)> KillOnceAsync(string store, string prefix, Random random)
    {
        using var writer = PinStoreWriterProcess.Start(store, prefix, count: 100_000);
        if (random.NextDouble() < 0.3)
        {
            // Anywhere from process start through opening (or creating) the store to the first writes.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 250)), Ct);
        }
        else
        {
            // Inside the run of writes: a commit is a few milliseconds, so this lands before, inside and after commits.
            await writer.WaitForStdoutAsync(line => line.StartsWith("ACK ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 40)), Ct);
        }

        Assert.False(writer.HasExited, $"the writer exited before it was killed.\n{writer.Output()}");
        writer.Signal(9);
        var exit = await writer.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 137, $"the writer ended with {exit}, not by SIGKILL (137).\n{writer.Output()}");
        var stdout = writer.Stdout;
        Assert.DoesNotContain("ERROR", stdout, StringComparison.Ordinal);
        var acks = PinStoreWriterProcess.Acks(stdout);
        var phase = !stdout.StartsWith("OPEN\n", StringComparison.Ordinal) ? Phase.BeforeOpen : acks.Count == 0 ? Phase.OpenNoAck : Phase.Writing;
        return (acks, phase);
    }

    private static void ReopenAndCheck(string path, List<PinStoreWriterProcess.Acknowledged> acknowledged, string when)
    {
        if (!File.Exists(path))
        {
            Assert.Empty(acknowledged); // killed before even the file was made
            return;
        }

        using (var store = PinStoreDirectory.OpenAt(path))
        {
            Assert.True(store.DamagedPins.Count == 0, $"{when}: damaged pins after a crash: {string.Join(", ", store.DamagedPins)}");
            PinStoreWriterProcess.AssertHeld(store, acknowledged);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar() as string);
    }

    private static int? EnvInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private enum Phase
    {
        BeforeOpen,
        OpenNoAck,
        Writing,
    }

    private sealed record LaneStats(int Cycles, int Acks, int KilledBeforeOpen, int KilledOpenNoAck, int KilledWriting, int Stores, TimeSpan SlowestCheck)
    {
        public static LaneStats Zero { get; } = new(0, 0, 0, 0, 0, 0, TimeSpan.Zero);

        public static LaneStats operator +(LaneStats a, LaneStats b) => new(a.Cycles + b.Cycles, a.Acks + b.Acks, a.KilledBeforeOpen + b.KilledBeforeOpen,
            a.KilledOpenNoAck + b.KilledOpenNoAck, a.KilledWriting + b.KilledWriting, a.Stores + b.Stores,
            a.SlowestCheck > b.SlowestCheck ? a.SlowestCheck : b.SlowestCheck);
    }
}
