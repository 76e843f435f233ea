using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Pins;

/// <summary>Several processes writing one pin store at once (tests/PinStoreWriter): nothing is lost, nothing is refused.</summary>
public sealed class PinStoreConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FourProcesses_WritingAtOnce_LoseNothing()
    {
        const int processes = 4;
        const int pinsEach = 150;
        using var directory = new PinStoreDirectory();
        // All four start on a store that does not exist yet: creating it is part of the race. Then each waits at the
        // gate until all four have it open, so that their writes run at the same time.
        var gate = Path.Combine(directory.Directory, "go");
        var writers = Enumerable.Range(0, processes).Select(p => PinStoreWriterProcess.Start(directory.StorePath, $"w{p}", pinsEach, gate)).ToList();
        try
        {
            await Task.WhenAll(writers.Select(w => w.WaitForStdoutAsync(line => line == "OPEN", TimeSpan.FromSeconds(60))));
            await File.WriteAllTextAsync(gate, "", Ct);
            var exits = await Task.WhenAll(writers.Select(w => w.WaitForExitAsync(TimeSpan.FromSeconds(120))));
            for (var p = 0; p < processes; p++)
            {
                Assert.True(exits[p] == 0, $"writer {p} failed.\n{writers[p].Output()}");
            }

            var acks = writers.SelectMany(w => PinStoreWriterProcess.Acks(w.Stdout)).ToList();
            Assert.Equal(processes * pinsEach, acks.Count);
            using var store = directory.Open();
            PinStoreWriterProcess.AssertHeld(store, acks);
            Assert.Equal(processes * pinsEach, (await store.ListAsync(Ct)).Count);
            Assert.Empty(store.DamagedPins);

            // Their writes interleaved (the test is about concurrency, not four writers in turn): some writer's pins
            // were committed between two pins of another.
            var order = (await store.ListAsync(Ct)).OrderBy(p => p.PinnedAt).Select(p => p.Authority[..2]).ToList();
            Assert.True(order.Zip(order.Skip(1)).Count(pair => pair.First != pair.Second) > processes,
                "the four writers never overlapped; the test did not exercise concurrent writes");
        }
        finally
        {
            writers.ForEach(w => w.Dispose());
        }
    }
}
