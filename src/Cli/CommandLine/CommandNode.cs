namespace CbbToolkit.Cli.CommandLine;

/// <summary>A node of the command tree: a group (<c>cbb tls</c>) or a runnable command (<c>cbb tls inspect</c>).</summary>
internal abstract class CommandNode
{
    /// <summary>The word that selects this node on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the parent's help text.</summary>
    public abstract string Summary { get; }
}
