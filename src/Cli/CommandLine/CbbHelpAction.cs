using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// The library's help, followed by the command's <see cref="CbbCommand.Details"/> (what it prints, exit codes, an
/// example) when help was asked for; after an error only the library's part, so the error stays in view.
/// </summary>
internal sealed class CbbHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var code = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is CbbCommand command && parseResult.Errors.Count == 0
            && parseResult.InvocationConfiguration is not BriefHelpInvocation)
        {
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var paragraph in command.Details)
            {
                output.WriteLine(paragraph);
                output.WriteLine();
            }
        }

        return code;
    }
}
