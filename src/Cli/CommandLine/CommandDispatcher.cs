using System.CommandLine;
using System.CommandLine.Invocation;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// Parses the command line with System.CommandLine and invokes what it asks for: a command, help, version or a
/// completion (<c>[suggest]</c>). Parse errors are reported the library's way, on the error writer only (stdout
/// carries results), with exit code 2. Never throws.
/// </summary>
internal sealed class CommandDispatcher(RootCommand root)
{
    /// <summary>Runs the command line; returns the process exit code.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Count > 0 && args[0] == "help")
        {
            args = [.. args.Skip(1), "--help"]; // 'cbb help tls inspect' as before: the same as --help.
        }

        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            // Typo corrections, errors and help all go to stderr; the library would put the help on stdout.
            parseResult.Invoke(new BriefHelpInvocation(context.Error));
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new CbbInvocation(context), context.Cancellation).ConfigureAwait(false);
    }
}
