using System.Globalization;

namespace CbbToolkit.Testing.Iproute2;

/// <summary>
/// Reads iproute2's <c>ip xfrm policy</c> and <c>ip xfrm state</c> text (iproute2 6.1 has no JSON for xfrm), with or
/// without <c>-s</c>: the reference our XFRM client and <c>cbb xfrm</c> are compared with. A state's dump holds its
/// keys, so nothing here keeps them or puts a line of the text into an exception.
/// </summary>
public static class IpXfrmParser
{
    /// <summary>Every policy in the text, in ip's order.</summary>
    /// <exception cref="FormatException">A block does not have the shape ip prints.</exception>
    public static IReadOnlyList<IpXfrmPolicy> ParsePolicies(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Blocks(text).Select(ParsePolicy)];
    }

    /// <summary>Every SA in the text, in ip's order.</summary>
    /// <exception cref="FormatException">A block does not have the shape ip prints.</exception>
    public static IReadOnlyList<IpXfrmState> ParseStates(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Blocks(text).Select(ParseState)];
    }

    /// <summary>The counters of every SA in <c>ip -s xfrm state</c> text, by SPI.</summary>
    /// <exception cref="FormatException">An SA has no counters (the text is not from <c>ip -s</c>).</exception>
    public static Dictionary<uint, IpXfrmCounters> ParseCounters(string text) =>
        ParseStates(text).ToDictionary(s => s.Spi, s => s.Current ?? throw new FormatException(
            $"SA 0x{s.Spi:x8} has no 'lifetime current' counters: read it with ip -s xfrm state"));

    private static IpXfrmPolicy ParsePolicy(List<string[]> block)
    {
        var selector = Selector(block[0], 0, "policy");
        var second = At(block, 1, "policy");
        if (second.Length < 2 || second[0] is not ("dir" or "socket"))
        {
            throw Malformed("policy", "the line after the selector does not start with 'dir' or 'socket'");
        }

        var direction = second[0] == "socket" ? "socket " + second[1] : second[1];
        var fields = Pairs(second, 2);
        var templates = new List<IpXfrmTemplate>();
        for (var l = 2; l < block.Count; l++)
        {
            if (block[l][0] == "tmpl")
            {
                templates.Add(Template(block, ref l));
            }
        }

        return new IpXfrmPolicy(selector, direction, fields.GetValueOrDefault("action", "allow"),
            fields.TryGetValue("index", out var index) ? Number(index, "policy index") : 0,
            Number(fields.GetValueOrDefault("priority", "0"), "policy priority"), LineValue(block, "mark"), InterfaceId(block, "policy"),
            new ValueList<IpXfrmTemplate>(templates));
    }

    // "tmpl src A dst B" / "proto P [spi 0xN(N)] reqid N[(0xN)] mode M" / ["level L share any"]
    private static IpXfrmTemplate Template(List<string[]> block, ref int line)
    {
        var head = Pairs(block[line], 1);
        var transform = Pairs(At(block, ++line, "template"), 0);
        var level = "required";
        if (line + 1 < block.Count && block[line + 1][0] == "level")
        {
            level = Pairs(block[++line], 0)["level"];
        }

        return new IpXfrmTemplate(Required(head, "src", "template"), Required(head, "dst", "template"),
            Required(transform, "proto", "template"), transform.TryGetValue("spi", out var spi) ? Hex(spi, "template spi") : 0,
            Number(Required(transform, "reqid", "template"), "template reqid"), Required(transform, "mode", "template"), level);
    }

    private static IpXfrmState ParseState(List<string[]> block)
    {
        var head = Pairs(block[0], 0);
        var id = Pairs(At(block, 1, "state"), 0);
        var replay = Pairs(At(block, 2, "state"), 0);
        string? encapsulation = null;
        ulong? hardAdd = null;
        IpXfrmCounters? current = null;
        IpXfrmSelector? selector = null;
        var algorithms = new List<string>();
        for (var l = 3; l < block.Count; l++)
        {
            var w = block[l];
            switch (w[0])
            {
                case "aead" or "enc" or "auth" or "auth-trunc" or "comp" when w.Length > 1:
                    algorithms.Add(w[1]);
                    break;
                case "encap" when w.Length > 2 && w[1] == "type":
                    encapsulation = string.Join(' ', w[2..]);
                    break;
                case "sel":
                    selector = Selector(w, 1, "state");
                    break;
                case "expire" when w.Length > 5 && w[1] == "add:":
                    hardAdd = ulong.Parse(Before(w[5], "(sec)"), CultureInfo.InvariantCulture);
                    break;
                case "lifetime" when w.Length > 1 && w[1] == "current:":
                    var counters = At(block, ++l, "state");
                    if (counters.Length < 2 || !counters[0].EndsWith("(bytes),", StringComparison.Ordinal))
                    {
                        throw Malformed("state", "no '(bytes), (packets)' line after 'lifetime current:'");
                    }

                    current = new IpXfrmCounters(long.Parse(Before(counters[0], "(bytes),"), CultureInfo.InvariantCulture),
                        long.Parse(Before(counters[1], "(packets)"), CultureInfo.InvariantCulture));
                    break;
            }
        }

        // iproute2 prints the sequence number with "0x%08u": decimal digits behind "0x".
        uint? sequence = replay.TryGetValue("seq", out var seq) ? Number(seq[2..], "state seq") : null;
        return new IpXfrmState(Required(head, "src", "state"), Required(head, "dst", "state"), Required(id, "proto", "state"),
            Hex(Required(id, "spi", "state"), "state spi"), Number(Required(id, "reqid", "state"), "state reqid"),
            Required(id, "mode", "state"), (int)Number(Required(replay, "replay-window", "state"), "state replay-window"),
            sequence, LineValue(block, "mark"), InterfaceId(block, "state"), new ValueList<string>(algorithms), encapsulation,
            selector ?? throw Malformed("state", "no 'sel' line"), hardAdd, current);
    }

    // A one-line field of a policy or SA ("mark 0x5/0xff", "if_id 0x9"), or null.
    private static string? LineValue(List<string[]> block, string name) =>
        block.Skip(2).FirstOrDefault(w => w.Length > 1 && w[0] == name)?[1];

    private static uint? InterfaceId(List<string[]> block, string what) =>
        LineValue(block, "if_id") is { } id ? Hex(id, what + " if_id") : null;

    private static IpXfrmSelector Selector(string[] w, int from, string what)
    {
        var fields = Pairs(w, from);
        int? Port(params string[] names) =>
            names.Select(n => fields.GetValueOrDefault(n)).FirstOrDefault(v => v is not null) is { } v ? (int)Number(v, what + " port") : null;
        return new IpXfrmSelector(Required(fields, "src", what), Required(fields, "dst", what), fields.GetValueOrDefault("proto"),
            Port("sport", "type"), Port("dport", "code"), fields.GetValueOrDefault("dev"));
    }

    // "key value key value ..." from word `from` on; a value such as "0x00000101(257)" or "1(0x00000001)" keeps only its
    // first form, and a lone trailing word (ip's "flag  (0x0)" leaves some) is ignored.
    private static Dictionary<string, string> Pairs(string[] w, int from)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = from; i + 1 < w.Length; i += 2)
        {
            var value = w[i + 1];
            var paren = value.IndexOf('(', StringComparison.Ordinal);
            pairs.TryAdd(w[i], paren > 0 ? value[..paren] : value);
        }

        return pairs;
    }

    private static string Required(Dictionary<string, string> fields, string name, string what) =>
        fields.TryGetValue(name, out var value) ? value : throw Malformed(what, $"no '{name}'");

    private static string[] At(List<string[]> block, int line, string what) =>
        line < block.Count ? block[line] : throw Malformed(what, $"the block ends after {block.Count} lines");

    private static uint Number(string text, string what) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Malformed(what, "not a number");

    private static uint Hex(string text, string what) =>
        text.StartsWith("0x", StringComparison.Ordinal) && uint.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Malformed(what, "not a 0x hex number");

    private static string Before(string word, string suffix) =>
        word.EndsWith(suffix, StringComparison.Ordinal) ? word[..^suffix.Length] : throw Malformed("counter", $"no '{suffix}'");

    // Names the place, never the text: a state's text holds its keys.
    private static FormatException Malformed(string what, string why) => new($"unexpected ip xfrm layout in a {what}: {why}");

    // A block starts at a line beginning with "src " (no indent) and runs to the next one; blank lines are dropped.
    private static IEnumerable<List<string[]>> Blocks(string text)
    {
        List<string[]>? block = null;
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith("src ", StringComparison.Ordinal))
            {
                if (block is not null)
                {
                    yield return block;
                }

                block = [words];
            }
            else if (block is not null && words.Length > 0)
            {
                block.Add(words);
            }
        }

        if (block is not null)
        {
            yield return block;
        }
    }
}
