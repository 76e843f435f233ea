using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary><c>cbb pins remove HOST:PORT</c>: forgets a server, so that its next first contact pins it again.</summary>
internal sealed class PinsRemoveCommand : CbbCommand
{
    private readonly Argument<string> _authority = PinsOptions.CreateAuthority();

    /// <summary>Creates the command with its options.</summary>
    public PinsRemoveCommand()
        : base("remove", "Remove the pin of one server (damaged or not); its next first contact pins it again.")
    {
        Arguments.Add(_authority);
        Options.Add(PinsOptions.Store);
        Options.Add(PinsOptions.Json);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "Remove a pin only when the server's keys really changed: a pin mismatch is what a man in the middle looks like.",
        "--json prints one object: {store, authority, removed (true)}. The removal is durable when cbb exits 0.",
        "Exit codes: 0 removed, 1 no pin for that server, no store, or the store is damaged or refused, 2 usage error.",
        "Example: cbb pins remove example.org:443",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var authority = parseResult.GetRequiredValue(_authority);
        var path = PinsOptions.StorePath(parseResult);
        using var store = PinsOptions.OpenExisting(path) ?? throw PinsOptions.NoStore(path);
        if (!await store.RemoveAsync(authority, context.Cancellation).ConfigureAwait(false))
        {
            throw new CommandFailedException($"no pin for {authority} in {path}; nothing removed");
        }

        await context.Out.WriteLineAsync(parseResult.GetValue(PinsOptions.Json)
            ? PinsJson.Removed(path, authority)
            : $"removed the pin of {authority} from {path}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
