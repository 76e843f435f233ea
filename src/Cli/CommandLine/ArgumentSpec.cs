namespace CbbToolkit.Cli.CommandLine;

/// <summary>A required positional argument of a command.</summary>
/// <param name="Name">The placeholder shown in usage lines, e.g. <c>HOST:PORT</c>.</param>
/// <param name="Description">One line for the help text.</param>
internal sealed record ArgumentSpec(string Name, string Description);
