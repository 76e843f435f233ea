using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary><c>cbb pins show HOST:PORT</c>: one pin in full (never its secret).</summary>
internal sealed class PinsShowCommand : Command
{
    /// <inheritdoc/>
    public override string Name => "show";

    /// <inheritdoc/>
    public override string Summary => "Show the pin of one server: its identities, binding and times.";

    /// <inheritdoc/>
    public override IReadOnlyList<ArgumentSpec> Arguments { get; } = [PinsOptions.Authority];

    /// <inheritdoc/>
    public override IReadOnlyList<OptionSpec> Options { get; } = [PinsOptions.Store, PinsOptions.Json];

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "HOST:PORT is matched in canonical form: host names case-insensitively, IPv6 addresses in any spelling.",
        "--json prints one object: " + PinsJson.PinFields + ". " + PinsOptions.SecretsNote,
        "Exit codes: 0 shown, 1 no pin for that server, no store, or the pin or store is damaged or refused (the\n" +
        "message says what to do), 2 usage error (e.g. not HOST:PORT).",
        "Example: cbb pins show example.org:443 --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParsedArguments arguments, CommandContext context)
    {
        var authority = PinsOptions.CanonicalAuthority(arguments);
        var path = PinsOptions.StorePath(arguments);
        using var store = PinsOptions.OpenExisting(path) ?? throw PinsOptions.NoStore(path);
        var pin = store.Find(authority) ?? throw new CommandFailedException($"no pin for {authority} in {path}");
        var now = context.Time.GetUtcNow();
        if (arguments.Has(PinsOptions.Json.Name))
        {
            await context.Out.WriteLineAsync(PinsJson.Pin(pin, now)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in PinsText.Show(pin, now))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
