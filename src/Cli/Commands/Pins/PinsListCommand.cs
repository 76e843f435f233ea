using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary><c>cbb pins list</c>: every pin of the store, and the damaged ones.</summary>
internal sealed class PinsListCommand : CbbCommand
{
    /// <summary>Creates the command with its options.</summary>
    public PinsListCommand()
        : base("list", "List the pinned servers: authority, TLS and IPsec identities, binding id and expiry.")
    {
        Options.Add(PinsOptions.Store);
        Options.Add(PinsOptions.Json);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "--json prints one object: {store, pins [" + PinsJson.PinFields + "], damaged [{authority, problem}]}.\n" +
        "A store that does not exist yet lists nothing (exit 0). " + PinsOptions.SecretsNote,
        "Exit codes: 0 listed (damaged pins are listed apart and say so on stderr), 1 the store is refused (open to\n" +
        "other users, or damaged: the message says what to do), 2 usage error.",
        "Example: cbb pins list --store ~/.config/cbb/pins.db --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var path = PinsOptions.StorePath(parseResult);
        using var store = PinsOptions.OpenExisting(path);
        var pins = store is null ? [] : await store.ListAsync(context.Cancellation).ConfigureAwait(false);
        var damaged = store?.DamagedPins ?? new Dictionary<string, string>();
        if (store is null)
        {
            await context.Error.WriteLineAsync($"no pin store at {path} yet").ConfigureAwait(false);
        }

        foreach (var (authority, problem) in damaged.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            await context.Error.WriteLineAsync($"damaged pin {authority}: {problem}; remove it with: cbb pins remove {authority} --store {path}")
                .ConfigureAwait(false);
        }

        var now = context.Time.GetUtcNow();
        if (parseResult.GetValue(PinsOptions.Json))
        {
            await context.Out.WriteLineAsync(PinsJson.List(path, pins, damaged, now)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in PinsText.List(pins, now))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
