using System.Globalization;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>The arguments of one command after parsing: positionals by index, options by name.</summary>
internal sealed class ParsedArguments(IReadOnlyList<string> positionals, IReadOnlyDictionary<string, string?> options)
{
    /// <summary>The positional arguments in order (their number matches the command's <see cref="Command.Arguments"/>).</summary>
    public IReadOnlyList<string> Positionals { get; } = positionals;

    /// <summary>Whether the option (flag or valued) was given.</summary>
    public bool Has(string option) => options.ContainsKey(option);

    /// <summary>The value of a valued option, or null when it was not given.</summary>
    public string? Value(string option) => options.TryGetValue(option, out var v) ? v : null;

    /// <summary>The value of an option as an integer within [min, max], or the default when the option was not given.</summary>
    /// <exception cref="UsageException">The value is not an integer in range.</exception>
    public int Int32(string option, int defaultValue, int min, int max)
    {
        var text = Value(option);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{option} takes a whole number from {min} to {max}, not '{text}'");
    }
}
