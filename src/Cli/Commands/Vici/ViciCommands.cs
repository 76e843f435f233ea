using CbbToolkit.Cli.CommandLine;

namespace CbbToolkit.Cli.Commands.Vici;

/// <summary>The <c>cbb vici</c> group.</summary>
internal static class ViciCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static CommandGroup Create() =>
        new("vici", "strongSwan's view over VICI: IKE SAs, their child SAs and peers.", [new ViciSasCommand()]);
}
