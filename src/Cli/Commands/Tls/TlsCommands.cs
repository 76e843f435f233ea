using System.CommandLine;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>The <c>cbb tls</c> group.</summary>
internal static class TlsCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static Command Create() =>
        new("tls",
            "TLS channel info: connect or serve, and print tls-exporter, tls-server-end-point, tls-unique.")
        {
            new TlsInspectCommand(),
            new TlsServeCommand(),
        };
}
