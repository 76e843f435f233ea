namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// A command ran and failed; <c>cbb</c> prints the message (which says what to do) and exits with 1.
/// </summary>
internal sealed class CommandFailedException(string message, Exception? innerException = null)
    : Exception(message, innerException);
