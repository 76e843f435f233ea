using System.CommandLine;
using System.CommandLine.Invocation;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// Runs a <see cref="CbbCommand"/> once the library has parsed its command line, and turns every failure into a
/// message on the error writer and an exit code (<see cref="ExitCodes"/>). Never throws.
/// </summary>
internal sealed class CbbCommandAction(CbbCommand command) : AsynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var configuration = parseResult.InvocationConfiguration;
        var context = (configuration as CbbInvocation)?.Context
            ?? new CommandContext(configuration.Output, configuration.Error, cancellationToken);
        var path = CommandPath.Of(parseResult);
        try
        {
            return await command.RunAsync(parseResult, context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            // A combination the parser cannot check: reported the way the library reports parse errors.
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await context.Error.WriteLineAsync().ConfigureAwait(false);
            CommandPath.WriteBriefHelp(parseResult, context.Error);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"{path}: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (CommandFailedException e)
        {
            await context.Error.WriteLineAsync($"{path}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (IpsecException e)
        {
            await context.Error.WriteLineAsync($"{path}: {e.Message} ({e.Error})").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The last line of defence: a tool reports, it does not dump a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await context.Error.WriteLineAsync($"{path}: unexpected error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            await context.Error.WriteLineAsync("This is a bug in cbb; please report it with the command line that caused it.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
