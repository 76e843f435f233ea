using System.CommandLine;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// A runnable cbb command: System.CommandLine parses its options and arguments into typed values, and
/// <see cref="RunAsync"/> does the work with them. Groups (<c>cbb tls</c>) are plain <see cref="Command"/>s.
/// </summary>
internal abstract class CbbCommand : Command
{
    /// <summary>Creates the command; its options and arguments are added by the derived class.</summary>
    protected CbbCommand(string name, string description)
        : base(name, description)
    {
        Action = new CbbCommandAction(this);
    }

    /// <summary>Paragraphs printed after the library's help (behaviour, JSON fields, exit codes, examples).</summary>
    public virtual IReadOnlyList<string> Details => [];

    /// <summary>
    /// Runs the command on a parse result without errors; returns the exit code. Throws <see cref="UsageException"/>
    /// (a combination the parser cannot check) or <see cref="CommandFailedException"/>.
    /// </summary>
    public abstract Task<int> RunAsync(ParseResult parseResult, CommandContext context);
}
