using System.Security.Authentication;
using CbbToolkit.Cli.CommandLine;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>Options the TLS commands share.</summary>
internal static class TlsOptions
{
    /// <summary>The default for <see cref="Timeout"/>, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 10;

    public static readonly OptionSpec Tls12 = new("--tls12", null, "Allow only TLS 1.2.", ExclusiveGroup: "version");
    public static readonly OptionSpec Tls13 = new("--tls13", null, "Allow only TLS 1.3.", ExclusiveGroup: "version");
    public static readonly OptionSpec Json = new("--json", null, "Print one JSON object per connection, one line each.");
    public static readonly OptionSpec Timeout = new("--timeout", "SECONDS",
        $"Give up on a connection that has not finished its handshake by then (default {DefaultTimeoutSeconds}).");

    /// <summary>The protocols --tls12/--tls13 allow; <see cref="SslProtocols.None"/> lets the system choose (1.2 or 1.3).</summary>
    public static SslProtocols Protocols(ParsedArguments arguments) =>
        arguments.Has(Tls12.Name) ? SslProtocols.Tls12
        : arguments.Has(Tls13.Name) ? SslProtocols.Tls13
        : SslProtocols.None; // The parser already refused both at once.

    /// <summary>The handshake timeout.</summary>
    public static TimeSpan HandshakeTimeout(ParsedArguments arguments) =>
        TimeSpan.FromSeconds(arguments.Int32(Timeout.Name, DefaultTimeoutSeconds, 1, 3600));

    /// <summary>The messages of an exception and its inner exceptions, without repeats: what a user needs to see.</summary>
    public static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var m = e.Message.TrimEnd('.');
            if (m.Length > 0 && !m.Contains("see inner exception", StringComparison.OrdinalIgnoreCase) && !messages.Contains(m))
            {
                messages.Add(m);
            }
        }

        return messages.Count == 0 ? exception.GetType().Name : string.Join(": ", messages);
    }
}
