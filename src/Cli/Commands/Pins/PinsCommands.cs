using System.CommandLine;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary>The <c>cbb pins</c> group: the client pin store (docs/pin-store.md).</summary>
internal static class PinsCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static Command Create() =>
        new("pins",
            "The client pin store: servers pinned on first contact (leap of faith), their identities and bindings.")
        {
            new PinsListCommand(),
            new PinsShowCommand(),
            new PinsRemoveCommand(),
        };
}
