namespace CbbToolkit.Cli.CommandLine;

/// <summary>A runnable command: its options and arguments (for the parser and help) and what it does.</summary>
internal abstract class Command : CommandNode
{
    /// <summary>The positional arguments, all required, in order.</summary>
    public virtual IReadOnlyList<ArgumentSpec> Arguments => [];

    /// <summary>The options the command accepts.</summary>
    public virtual IReadOnlyList<OptionSpec> Options => [];

    /// <summary>Paragraphs printed after the option list in the help text (behaviour, exit codes, examples).</summary>
    public virtual IReadOnlyList<string> Details => [];

    /// <summary>Runs the command; returns the exit code. Throws <see cref="UsageException"/> or <see cref="CommandFailedException"/>.</summary>
    public abstract Task<int> RunAsync(ParsedArguments arguments, CommandContext context);
}
