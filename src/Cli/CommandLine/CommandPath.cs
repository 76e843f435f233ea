using System.CommandLine;
using System.CommandLine.Parsing;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>The words that name the parsed command (<c>cbb tls inspect</c>), and its help for error reports.</summary>
internal static class CommandPath
{
    /// <summary>The name the root command shows, whatever the executable is called (dotnet cbb.dll, a test host).</summary>
    public const string RootName = "cbb";

    /// <summary>The parsed command's path, e.g. <c>cbb tls inspect</c>.</summary>
    public static string Of(ParseResult parseResult) => string.Join(' ', [RootName, .. Words(parseResult)]);

    /// <summary>
    /// Writes the library's help of the parsed command (without cbb's detail paragraphs) to <paramref name="writer"/>,
    /// as it follows a parse error.
    /// </summary>
    public static void WriteBriefHelp(ParseResult parseResult, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var help = parseResult.RootCommandResult.Command.Parse([.. Words(parseResult), "--help"]);
        help.Invoke(new BriefHelpInvocation(writer));
    }

    private static List<string> Words(ParseResult parseResult)
    {
        var words = new List<string>();
        for (var result = parseResult.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            words.Insert(0, result.Command.Name);
        }

        return words;
    }
}
