using System.CommandLine;
using System.Security.Authentication;
using CbbToolkit.Cli.CommandLine;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>Options the TLS commands share.</summary>
internal static class TlsOptions
{
    /// <summary>The default for <see cref="Timeout"/>, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 10;

    public static readonly Option<bool> Tls12 = CbbOptions.Flag("--tls12", "Allow only TLS 1.2.");
    public static readonly Option<bool> Tls13 = CbbOptions.Flag("--tls13", "Allow only TLS 1.3.");
    public static readonly Option<bool> Json = CbbOptions.Flag("--json", "Print one JSON object per connection, one line each.");
    public static readonly Option<int> Timeout = CbbOptions.Int32("--timeout", "SECONDS",
        "Give up on a connection that has not finished its handshake by then.", 1, 3600, DefaultTimeoutSeconds);

    /// <summary>The protocols --tls12/--tls13 allow; <see cref="SslProtocols.None"/> lets the system choose (1.2 or 1.3).</summary>
    public static SslProtocols Protocols(ParseResult parseResult) =>
        parseResult.GetValue(Tls12) ? SslProtocols.Tls12
        : parseResult.GetValue(Tls13) ? SslProtocols.Tls13
        : SslProtocols.None; // The validator of AddVersionOptions already refused both at once.

    /// <summary>Adds --tls12 and --tls13 to a command, with the check that at most one is given.</summary>
    public static void AddVersionOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Tls12);
        command.Options.Add(Tls13);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Tls12) && result.GetValue(Tls13))
            {
                result.AddError($"{Tls12.Name} and {Tls13.Name} cannot be used together; give at most one");
            }
        });
    }

    /// <summary>The handshake timeout.</summary>
    public static TimeSpan HandshakeTimeout(ParseResult parseResult) => TimeSpan.FromSeconds(parseResult.GetValue(Timeout));

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
