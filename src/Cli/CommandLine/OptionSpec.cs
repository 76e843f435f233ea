namespace CbbToolkit.Cli.CommandLine;

/// <summary>An option a command accepts: a flag (<c>--json</c>) or an option with a value (<c>--sni NAME</c>).</summary>
/// <param name="Name">The option with its dashes, e.g. <c>--sni</c>.</param>
/// <param name="ValueName">The placeholder of the value in help text, or null for a flag.</param>
/// <param name="Description">One line for the help text.</param>
/// <param name="Required">Whether the command cannot run without it.</param>
/// <param name="ExclusiveGroup">Options sharing a group name exclude each other (e.g. --tls12 and --tls13).</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Description, bool Required = false, string? ExclusiveGroup = null)
{
    /// <summary>Whether the option takes no value.</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>The option as shown in usage lines, e.g. <c>--sni NAME</c>.</summary>
    public string Synopsis => IsFlag ? Name : $"{Name} {ValueName}";
}
