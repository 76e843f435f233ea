namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// Parses one command's arguments against its specification: <c>--name value</c>, <c>--name=value</c>, flags,
/// positionals, and <c>--</c> to end options. Every mistake is a <see cref="UsageException"/> naming what is wrong.
/// </summary>
internal static class ArgumentParser
{
    /// <summary>Whether the arguments ask for help (before any <c>--</c>).</summary>
    public static bool IsHelpRequested(IReadOnlyList<string> args)
    {
        foreach (var a in args)
        {
            if (a == "--")
            {
                return false;
            }

            if (a is "-h" or "--help")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses the arguments that follow the command's name.</summary>
    /// <exception cref="UsageException">Unknown, repeated or incomplete options; missing or extra arguments.</exception>
    public static ParsedArguments Parse(Command command, IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var optionsEnded = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !LooksLikeOption(arg))
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            var spec = command.Options.FirstOrDefault(o => o.Name == name) ?? throw UnknownOption(command, name);
            if (options.ContainsKey(spec.Name))
            {
                throw new UsageException($"{spec.Name} given more than once");
            }

            string? value = null;
            if (spec.IsFlag)
            {
                if (eq > 0)
                {
                    throw new UsageException($"{spec.Name} is a flag and takes no value");
                }
            }
            else if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !LooksLikeOption(args[i + 1]))
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"{spec.Name} needs a value: {spec.Synopsis}");
            }

            if (value is { Length: 0 })
            {
                throw new UsageException($"{spec.Name} needs a non-empty value: {spec.Synopsis}");
            }

            options[spec.Name] = value;
        }

        foreach (var required in command.Options.Where(o => o.Required && !options.ContainsKey(o.Name)))
        {
            throw new UsageException($"missing {required.Synopsis}");
        }

        foreach (var group in command.Options.Where(o => o.ExclusiveGroup is not null && options.ContainsKey(o.Name)).GroupBy(o => o.ExclusiveGroup))
        {
            if (group.Count() > 1)
            {
                throw new UsageException($"{string.Join(" and ", group.Select(o => o.Name))} cannot be used together; give at most one");
            }
        }

        if (positionals.Count < command.Arguments.Count)
        {
            throw new UsageException($"missing {command.Arguments[positionals.Count].Name}");
        }

        if (positionals.Count > command.Arguments.Count)
        {
            throw new UsageException($"unexpected argument '{positionals[command.Arguments.Count]}'");
        }

        return new ParsedArguments(positionals, options);
    }

    // "-" alone and negative numbers are values; anything else that starts with '-' is meant as an option.
    private static bool LooksLikeOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !char.IsAsciiDigit(arg[1]);

    private static UsageException UnknownOption(Command command, string name)
    {
        var closest = command.Options
            .Select(o => (o.Name, Distance: EditDistance(o.Name, name)))
            .Where(o => o.Distance <= 2)
            .OrderBy(o => o.Distance)
            .Select(o => o.Name)
            .FirstOrDefault();
        return new UsageException(closest is null
            ? $"unknown option '{name}'"
            : $"unknown option '{name}'; did you mean {closest}?");
    }

    private static int EditDistance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
