namespace CbbToolkit.Cli.Output;

/// <summary>Rows of cells printed in aligned columns, two spaces apart; the last column is never padded.</summary>
internal sealed class TextTable(params string[] headings)
{
    private readonly List<string[]> _rows = [headings];

    /// <summary>Adds a row; it must have as many cells as there are headings.</summary>
    public void Add(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != headings.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headings.Length} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>The number of rows below the headings.</summary>
    public int Count => _rows.Count - 1;

    /// <summary>The lines, headings first, each without the line break.</summary>
    public IReadOnlyList<string> Lines()
    {
        var widths = new int[headings.Length];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        return _rows.Select(row => string.Concat(row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 2))).TrimEnd())
            .ToList();
    }
}
