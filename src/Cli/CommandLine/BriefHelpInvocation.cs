using System.CommandLine;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>Invokes help as part of an error report: to one writer, without cbb's detail paragraphs.</summary>
internal sealed class BriefHelpInvocation : InvocationConfiguration
{
    /// <summary>Sends the help (and anything else) to <paramref name="writer"/>.</summary>
    public BriefHelpInvocation(TextWriter writer)
    {
        Output = writer;
        Error = writer;
        EnableDefaultExceptionHandler = false;
        ProcessTerminationTimeout = null;
    }
}
