using CbbToolkit.Cli.CommandLine;

namespace CbbToolkit.Cli.Commands.Http;

/// <summary>One <c>--header "Name: value"</c>, split and checked.</summary>
internal sealed record HeaderLine(string Name, string Value)
{
    // RFC 9110 token characters: what a field name may consist of.
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    /// <summary>Parses "Name: value"; a missing colon, an empty or malformed name, or a line break is a usage error.</summary>
    public static HeaderLine Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new UsageException($"--header takes \"Name: value\", not '{text}'");
        }

        var name = text[..colon];
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c, StringComparison.Ordinal)))
        {
            throw new UsageException($"--header: '{name}' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)");
        }

        var value = text[(colon + 1)..].Trim(' ', '\t');
        if (value.Any(c => c is '\r' or '\n' or '\0'))
        {
            throw new UsageException($"--header: the value of '{name}' contains a line break or NUL");
        }

        return new HeaderLine(name, value);
    }
}
