using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Commands.Http;
using CbbToolkit.Cli.Commands.Ipsec;
using CbbToolkit.Cli.Commands.Pins;
using CbbToolkit.Cli.Commands.Tls;
using CbbToolkit.Cli.Commands.Vici;
using CbbToolkit.Cli.Commands.Xfrm;

namespace CbbToolkit.Cli.Commands;

/// <summary>All of cbb's commands. A new group is one folder under Commands/ and one line here.</summary>
internal static class CommandTree
{
    /// <summary>Creates the root command, <c>cbb</c>, with every group.</summary>
    public static CbbRootCommand Create() =>
        new("cbb - CbbToolkit's command-line tool: TLS channel info, the kernel's IPsec state, IPsec channels, IKE SAs, pinned servers and HTTP through the channel handler.",
        [
            TlsCommands.Create(),
            XfrmCommands.Create(),
            IpsecCommands.Create(),
            ViciCommands.Create(),
            PinsCommands.Create(),
            HttpCommands.Create(),
        ]);
}
