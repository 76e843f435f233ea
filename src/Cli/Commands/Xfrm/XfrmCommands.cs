using System.CommandLine;

namespace CbbToolkit.Cli.Commands.Xfrm;

/// <summary>The <c>cbb xfrm</c> group.</summary>
internal static class XfrmCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static Command Create() =>
        new("xfrm",
            "The kernel's IPsec state over XFRM netlink: policies, SAs (never keys), events.")
        {
            new XfrmPolicyCommand(),
            new XfrmSaCommand(),
            new XfrmMonitorCommand(),
        };
}
