using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace CbbToolkit.Cli.CommandLine;

/// <summary><c>cbb --version</c>: prints <c>cbb VERSION</c> (the name too, as it did before System.CommandLine).</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine($"{CommandPath.RootName} {Version}");
        return ExitCodes.Success;
    }

    private static string Version =>
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
