using System.CommandLine;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>The library's invocation settings plus the <see cref="CommandContext"/> the commands run with.</summary>
internal sealed class CbbInvocation : InvocationConfiguration
{
    /// <summary>Writes to the context's writers; cbb handles exceptions and signals itself.</summary>
    public CbbInvocation(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        Output = context.Out;
        Error = context.Error;
        EnableDefaultExceptionHandler = false; // CbbCommandAction reports every failure with its exit code.
        ProcessTerminationTimeout = null; // Program.cs turns SIGINT/SIGTERM into context.Cancellation.
    }

    /// <summary>What the running command writes to and listens to.</summary>
    public CommandContext Context { get; }
}
