using CbbToolkit.Architecture.Tests.Reading;

namespace CbbToolkit.Architecture.Tests.Docs;

/// <summary>The rows of a Markdown table in a doc of the repository, found by the line that introduces it.</summary>
internal static class MarkdownTables
{
    /// <summary>
    /// The body rows (cells trimmed, backticks removed) of the first table after the first line of
    /// <paramref name="doc"/> that starts with <paramref name="marker"/>.
    /// </summary>
    public static IReadOnlyList<string[]> After(string doc, string marker)
    {
        var lines = File.ReadAllLines(Path.Combine(ProjectFiles.RepositoryRoot, doc));
        var start = Array.FindIndex(lines, l => l.StartsWith(marker, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"{doc} has no line starting with '{marker}'");
        }

        var table = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
        return [.. table.Skip(2).Select(Cells)]; // header and separator
    }

    private static string[] Cells(string row) =>
        [.. row.Trim().Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal))];
}
