using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary><c>cbb pins show HOST:PORT</c>: one pin in full (never its secret).</summary>
internal sealed class PinsShowCommand : CbbCommand
{
    private readonly Argument<string> _authority = PinsOptions.CreateAuthority();

    /// <summary>Creates the command with its options.</summary>
    public PinsShowCommand()
        : base("show", "Show the pin of one server: its identities, binding and times.")
    {
        Arguments.Add(_authority);
        Options.Add(PinsOptions.Store);
        Options.Add(PinsOptions.Json);
    }

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
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var authority = parseResult.GetRequiredValue(_authority);
        var path = PinsOptions.StorePath(parseResult);
        using var store = PinsOptions.OpenExisting(path) ?? throw PinsOptions.NoStore(path);
        var pin = store.Find(authority) ?? throw new CommandFailedException($"no pin for {authority} in {path}");
        var now = context.Time.GetUtcNow();
        if (parseResult.GetValue(PinsOptions.Json))
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
