using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Xfrm;

/// <summary><c>cbb xfrm sa</c>: the kernel's security associations, without their keys.</summary>
internal sealed class XfrmSaCommand : CbbCommand
{
    /// <summary>Creates the command with its options.</summary>
    public XfrmSaCommand()
        : base("sa", "List the kernel's IPsec SAs (the SAD): addresses, SPI, algorithms, counters - never keys.")
    {
        Options.Add(KernelOptions.Json);
        Options.Add(KernelOptions.Netns);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "--json prints one array: {src, dst, proto (esp, ah, comp), spi (\"0x%08x\"), reqid, mode, selector {src, dst,\n" +
        "proto, sport, dport}, algorithms (kernel names, e.g. rfc4106(gcm(aes))), bytes, packets, encap, mark, ifId}.\n" +
        "Key material is never read into the output. A larval SA (SPI 0x00000000, no algorithms) is one the kernel\n" +
        "holds while it waits for key management to answer an ACQUIRE.",
        KernelOptions.PrivilegeNote,
        "Example: cbb xfrm sa --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        using var client = KernelOptions.Open(parseResult);
        var states = await KernelOptions.CallAsync(() => client.ListStatesAsync(context.Cancellation), KernelOptions.Namespace(parseResult))
            .ConfigureAwait(false);
        if (parseResult.GetValue(KernelOptions.Json))
        {
            await context.Out.WriteLineAsync(XfrmJson.States(states)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in XfrmText.States(states.ToList()))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
