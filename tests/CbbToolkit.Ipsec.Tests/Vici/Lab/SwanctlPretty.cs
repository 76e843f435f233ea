using CbbToolkit.Ipsec.Vici;

namespace CbbToolkit.Ipsec.Tests.Vici.Lab;

/// <summary>
/// Reads `swanctl --pretty` output (strongSwan's own VICI client printing what it received) into messages, so our
/// decoding can be compared with the reference tool's. Values stay the text swanctl printed (binary ones as 0x...).
/// </summary>
internal static class SwanctlPretty
{
    public static List<(string Header, ViciMessage Message)> Parse(string output)
    {
        var result = new List<(string, ViciMessage)>();
        var stack = new Stack<ViciMessage>();
        string? header = null;
        string? listName = null;
        List<string>? items = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (items is not null)
            {
                if (line == "]")
                {
                    stack.Peek().AddList(listName!, items);
                    items = null;
                }
                else
                {
                    items.Add(line);
                }
            }
            else if (stack.Count == 0)
            {
                header = line.EndsWith(" {", StringComparison.Ordinal) ? line[..^2] : throw new FormatException($"swanctl: '{line}'");
                stack.Push(new ViciMessage());
            }
            else if (line == "}")
            {
                var done = stack.Pop();
                if (stack.Count == 0)
                {
                    result.Add((header!, done));
                }
            }
            else if (line.EndsWith(" = [", StringComparison.Ordinal))
            {
                listName = line[..^4];
                items = [];
            }
            else if (line.EndsWith(" {", StringComparison.Ordinal))
            {
                var section = new ViciMessage();
                stack.Peek().AddSection(line[..^2], section);
                stack.Push(section);
            }
            else
            {
                var eq = line.IndexOf(" = ", StringComparison.Ordinal);
                stack.Peek().Add(eq < 0 ? line.TrimEnd('=', ' ') : line[..eq], eq < 0 ? string.Empty : line[(eq + 3)..]);
            }
        }

        return result;
    }

    /// <summary>The messages of one kind ("list-sa event", "version reply").</summary>
    public static ViciMessage[] Of(this List<(string Header, ViciMessage Message)> parsed, string header) =>
        parsed.Where(p => p.Header == header).Select(p => p.Message).ToArray();
}
