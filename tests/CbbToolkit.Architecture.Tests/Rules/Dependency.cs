namespace CbbToolkit.Architecture.Tests.Rules;

/// <summary>
/// One edge of a dependency graph: <paramref name="From"/> (an assembly, project or namespace) uses
/// <paramref name="To"/>; <paramref name="Evidence"/> names one place that shows it (a type, a project file), so a
/// failure message says where to look.
/// </summary>
public readonly record struct Dependency(string From, string To, string Evidence);
