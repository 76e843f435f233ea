using System.Runtime.InteropServices;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Commands;
using CbbToolkit.Cli.Output;

// Ctrl-C and SIGTERM cancel the running command, which then stops cleanly; a second signal ends the process at once.
using var interrupt = new CancellationTokenSource();
void OnSignal(PosixSignalContext signal)
{
    if (!interrupt.IsCancellationRequested)
    {
        signal.Cancel = true;
        interrupt.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

using var stdout = StandardOutput.Create();
var dispatcher = new CommandDispatcher(CommandTree.Create());
return await dispatcher.RunAsync(args, new CommandContext(TextWriter.Synchronized(stdout), Console.Error, interrupt.Token));
