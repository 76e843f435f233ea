namespace CbbToolkit.Cli.CommandLine;

/// <summary>Writes help text for groups and commands, and the one-line usage shown with usage errors.</summary>
internal static class HelpWriter
{
    /// <summary>The usage line of a command, e.g. <c>cbb tls inspect HOST:PORT [--sni NAME] ...</c>.</summary>
    public static string Usage(string path, Command command)
    {
        var parts = new List<string> { path };
        parts.AddRange(command.Arguments.Select(a => a.Name));
        parts.AddRange(command.Options.Where(o => o.Required).Select(o => o.Synopsis));
        parts.AddRange(command.Options.Where(o => !o.Required)
            .GroupBy(o => o.ExclusiveGroup ?? o.Name)
            .Select(g => $"[{string.Join('|', g.Select(o => o.Synopsis))}]"));
        return string.Join(' ', parts);
    }

    /// <summary>The usage line of a group.</summary>
    public static string Usage(string path, CommandGroup group) => $"{path} <{string.Join('|', group.Children.Select(c => c.Name))}> ...";

    /// <summary>Writes the full help of a command.</summary>
    public static void Write(TextWriter writer, string path, Command command)
    {
        writer.WriteLine($"{command.Summary}");
        writer.WriteLine();
        writer.WriteLine($"Usage: {Usage(path, command)}");
        var rows = command.Arguments.Select(a => (a.Name, a.Description))
            .Concat(command.Options.Select(o => (o.Synopsis, o.Required ? o.Description + " (required)" : o.Description)))
            .Append(("-h, --help", "Show this help."))
            .ToList();
        writer.WriteLine();
        WriteTable(writer, rows);
        foreach (var paragraph in command.Details)
        {
            writer.WriteLine();
            writer.WriteLine(paragraph);
        }
    }

    /// <summary>Writes the help of a group: its commands and how to get help on each.</summary>
    public static void Write(TextWriter writer, string path, CommandGroup group, bool isRoot)
    {
        writer.WriteLine(group.Summary);
        writer.WriteLine();
        writer.WriteLine($"Usage: {Usage(path, group)}");
        writer.WriteLine();
        writer.WriteLine("Commands:");
        WriteTable(writer, group.Children.Select(c => (c.Name, c.Summary)).ToList());
        writer.WriteLine();
        if (isRoot)
        {
            writer.WriteLine("Options:");
            WriteTable(writer, [("-h, --help", "Show this help."), ("--version", "Show the version.")]);
            writer.WriteLine();
        }

        writer.WriteLine($"Run '{path} <command> --help' for a command's options.");
    }

    private static void WriteTable(TextWriter writer, IReadOnlyList<(string Left, string Right)> rows)
    {
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, right) in rows)
        {
            writer.WriteLine($"  {left.PadRight(width)}{right}");
        }
    }
}
