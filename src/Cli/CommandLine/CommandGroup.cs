namespace CbbToolkit.Cli.CommandLine;

/// <summary>A group of commands and sub-groups, e.g. <c>cbb tls</c>; one group per folder under Commands/.</summary>
internal sealed class CommandGroup(string name, string summary, IReadOnlyList<CommandNode> children) : CommandNode
{
    /// <inheritdoc/>
    public override string Name { get; } = name;

    /// <inheritdoc/>
    public override string Summary { get; } = summary;

    /// <summary>The commands and groups under this one, in help order.</summary>
    public IReadOnlyList<CommandNode> Children { get; } = children;

    /// <summary>Finds a child by name (exact, case-sensitive).</summary>
    public CommandNode? Find(string name) => Children.FirstOrDefault(c => c.Name == name);
}
