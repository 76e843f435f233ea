using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// Builds options and arguments with cbb's rules: flags take no value, values are not empty, and a value that
/// does not parse is a parse error with a message that says what is expected (exit 2). No reflection: every
/// typed value comes from a parser given here, so the tree stays trim- and NativeAOT-safe.
/// </summary>
internal static class CbbOptions
{
    /// <summary>A flag such as <c>--json</c>: present or not, never with a value.</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>An option with a non-empty text value, e.g. <c>--sni NAME</c>.</summary>
    public static Option<string> Text(string name, string valueName, string description, bool required = false) =>
        Parsed(name, valueName, description, text => text, required);

    /// <summary>An option whose value <paramref name="parse"/> turns into a typed value or refuses with a <see cref="UsageException"/>.</summary>
    public static Option<T> Parsed<T>(string name, string valueName, string description, Func<string, T> parse, bool required = false) =>
        new(name)
        {
            Description = description,
            HelpName = valueName,
            Required = required,
            CustomParser = result => Parse(result, name, parse, default!),
        };

    /// <summary>A whole number within [min, max]; <paramref name="defaultValue"/> when the option is not given (shown in help when set).</summary>
    public static Option<int> Int32(string name, string valueName, string description, int min, int max, int? defaultValue = null)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = valueName,
            CustomParser = result => Parse(result, name, text =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                    ? value
                    : throw new UsageException($"{name} takes a whole number from {min} to {max}, not '{text}'"), defaultValue ?? 0),
        };
        if (defaultValue is { } fallback)
        {
            option.DefaultValueFactory = _ => fallback;
        }

        return option;
    }

    /// <summary>A required positional argument that <paramref name="parse"/> turns into a typed value.</summary>
    public static Argument<T> Argument<T>(string name, string description, Func<string, T> parse) =>
        new(name) { Description = description, CustomParser = result => ParseArgument(result, name, parse) };

    // The library takes an unknown '--option' where an argument is due for the argument's value: say what it is.
    private static T ParseArgument<T>(ArgumentResult result, string name, Func<string, T> parse)
    {
        if (result.Tokens is [{ Value: var text }] && text.Length > 1 && text[0] == '-' && !char.IsAsciiDigit(text[1]))
        {
            var known = (result.Parent as CommandResult)?.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)) ?? [];
            result.AddError(TypoHint.Closest(text, known) is { } closest
                ? $"Unrecognized option '{text}'. Did you mean '{closest}'?"
                : $"Unrecognized option '{text}'.");
            return default!;
        }

        return Parse(result, name, parse, default!);
    }

    private static T Parse<T>(ArgumentResult result, string name, Func<string, T> parse, T absent)
    {
        if (result.Tokens.Count == 0)
        {
            return absent;
        }

        var text = result.Tokens[^1].Value;
        if (text.Length == 0)
        {
            result.AddError($"{name} needs a non-empty value");
            return absent;
        }

        try
        {
            return parse(text);
        }
        catch (UsageException e)
        {
            result.AddError(e.Message);
            return absent;
        }
    }
}
