using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Xfrm;

/// <summary><c>cbb xfrm policy</c>: the kernel's security policy database, socket policies included.</summary>
internal sealed class XfrmPolicyCommand : CbbCommand
{
    /// <summary>Creates the command with its options.</summary>
    public XfrmPolicyCommand()
        : base("policy", "List the kernel's IPsec policies (the SPD), socket policies included.")
    {
        Options.Add(KernelOptions.Json);
        Options.Add(KernelOptions.Netns);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "--json prints one array: {dir (in, out, fwd, socket-in, socket-out), src, dst (CIDR), proto (name, null = any),\n" +
        "sport, dport (0 = any), priority, index, action (allow, block), templates [{proto (esp, ah, comp), mode, reqid,\n" +
        "src, dst, optional}], mark, ifId}. Socket policies show while the socket that holds them is open.",
        KernelOptions.PrivilegeNote,
        "Example: cbb xfrm policy --netns lab --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        using var client = KernelOptions.Open(parseResult);
        var policies = await KernelOptions.CallAsync(() => client.ListPoliciesAsync(context.Cancellation), KernelOptions.Namespace(parseResult))
            .ConfigureAwait(false);
        if (parseResult.GetValue(KernelOptions.Json))
        {
            await context.Out.WriteLineAsync(XfrmJson.Policies(policies)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in XfrmText.Policies(policies.ToList()))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
