namespace CbbToolkit.Cli.CommandLine;

/// <summary>What a running command writes to and listens to.</summary>
/// <param name="Out">Results: channel info, one JSON object per line with --json.</param>
/// <param name="Error">Errors and status messages (e.g. "listening on ..."), never results.</param>
/// <param name="Cancellation">Cancelled by Ctrl-C or SIGTERM.</param>
internal sealed record CommandContext(TextWriter Out, TextWriter Error, CancellationToken Cancellation)
{
    /// <summary>The clock of the commands' timeouts and created-at times (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
