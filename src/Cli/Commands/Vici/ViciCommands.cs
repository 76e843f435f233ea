using System.CommandLine;

namespace CbbToolkit.Cli.Commands.Vici;

/// <summary>The <c>cbb vici</c> group.</summary>
internal static class ViciCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static Command Create() =>
        new("vici",
            "strongSwan's view over VICI: IKE SAs, their child SAs and peers.")
        {
            new ViciSasCommand(),
        };
}
