using System.CommandLine;

namespace CbbToolkit.Cli.Commands.Http;

/// <summary>The <c>cbb http</c> group: HTTP through the IPsec channel handler (docs/httpclient.md).</summary>
internal static class HttpCommands
{
    /// <summary>Creates the group with its commands.</summary>
    public static Command Create() =>
        new("http",
            "HTTP through the IPsec channel handler: what carried a request (channel, TLS, credentials, binding, pin).")
        {
            new HttpGetCommand(),
        };
}
