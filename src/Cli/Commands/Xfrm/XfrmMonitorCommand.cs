using System.Globalization;
using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Cli.Commands.Xfrm;

/// <summary><c>cbb xfrm monitor</c>: prints XFRM events (SA and policy changes, ACQUIRE, EXPIRE) as they happen.</summary>
internal sealed class XfrmMonitorCommand : CbbCommand
{
    private static readonly Option<int> Count = CbbOptions.Int32("--count", "N", "Exit after N events (default: run until Ctrl-C).", 1, int.MaxValue);

    /// <summary>Creates the command with its options.</summary>
    public XfrmMonitorCommand()
        : base("monitor", "Print the kernel's XFRM events as they happen, one per line.")
    {
        Options.Add(KernelOptions.Json);
        Options.Add(Count);
        Options.Add(KernelOptions.Netns);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "Each event is one line; with --json one object: type (policy-added, policy-updated, policy-deleted, sa-added,\n" +
        "sa-updated, sa-deleted, acquire, expire, policy-expire, flush-sa, flush-policy, other) and the fields of the\n" +
        "policy or SA as 'cbb xfrm policy/sa --json' print them (expire: hard; acquire: src, dst, proto, seq, selector,\n" +
        "policy). The line 'monitoring XFRM events' on stderr says the monitor is listening; if the kernel drops events\n" +
        "because they came too fast, a warning goes to stderr and the monitor goes on.",
        "Stop with Ctrl-C or SIGTERM (exit 0). " + KernelOptions.PrivilegeNote,
        "Example: cbb xfrm monitor --json --count 1",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var count = parseResult.GetValue(Count); // 0: not given, run until stopped
        var json = parseResult.GetValue(KernelOptions.Json);
        var ns = KernelOptions.Namespace(parseResult);
        using var monitor = KernelOptions.Call(() => XfrmMonitor.Open(ns), ns);
        await context.Error.WriteLineAsync(ns is null
            ? "monitoring XFRM events (Ctrl-C to stop)"
            : $"monitoring XFRM events in network namespace {ns} (Ctrl-C to stop)").ConfigureAwait(false);
        await context.Error.FlushAsync().ConfigureAwait(false);

        var printed = 0;
        while (count == 0 || printed < count)
        {
            XfrmEvent e;
            try
            {
                e = await monitor.ReadAsync(context.Cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                break;
            }
            catch (IpsecException lost) when (lost.Error == IpsecError.NoBufferSpace)
            {
                await context.Error.WriteLineAsync("warning: the kernel dropped XFRM events (they came faster than cbb read them); some are missing")
                    .ConfigureAwait(false);
                continue;
            }
            catch (IpsecException failure)
            {
                throw KernelOptions.Failure(failure, ns);
            }

            await context.Out.WriteLineAsync(json ? XfrmJson.Event(e) : XfrmText.Event(e)).ConfigureAwait(false);
            await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            printed++;
        }

        await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"stopped after {printed} event(s)")).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
