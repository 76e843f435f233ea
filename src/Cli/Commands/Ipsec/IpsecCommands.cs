using System.CommandLine;

namespace CbbToolkit.Cli.Commands.Ipsec;

/// <summary>The <c>cbb ipsec</c> group.</summary>
internal static class IpsecCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static Command Create() =>
        new("ipsec",
            "IPsec channels: which SA pair protects a connection, and who the IKE peer is.")
        {
            new IpsecChannelCommand(),
        };
}
