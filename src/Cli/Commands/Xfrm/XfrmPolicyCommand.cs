using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Xfrm;

/// <summary><c>cbb xfrm policy</c>: the kernel's security policy database, socket policies included.</summary>
internal sealed class XfrmPolicyCommand : Command
{
    /// <inheritdoc/>
    public override string Name => "policy";

    /// <inheritdoc/>
    public override string Summary => "List the kernel's IPsec policies (the SPD), socket policies included.";

    /// <inheritdoc/>
    public override IReadOnlyList<OptionSpec> Options { get; } = [KernelOptions.Json, KernelOptions.Netns];

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
    public override async Task<int> RunAsync(ParsedArguments arguments, CommandContext context)
    {
        using var client = KernelOptions.Open(arguments);
        var policies = await KernelOptions.CallAsync(() => client.ListPoliciesAsync(context.Cancellation), KernelOptions.Namespace(arguments))
            .ConfigureAwait(false);
        if (arguments.Has(KernelOptions.Json.Name))
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
