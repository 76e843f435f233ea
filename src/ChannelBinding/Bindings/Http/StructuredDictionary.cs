using System.Globalization;
using System.Text;

namespace CbbToolkit.Channels.Bindings.Http;

/// <summary>
/// A strict parser and serializer for the subset of RFC 8941 dictionaries (section 3.2) the binding headers use:
/// members <c>key=item</c> where item is an sf-integer, sf-token or sf-binary; no parameters, inner lists, strings,
/// decimals or booleans. Stricter than RFC 8941 on purpose: a repeated key is refused (RFC 8941 keeps the last one,
/// which lets a second copy of a header override the first), byte sequences must be canonical base64, and sizes are
/// bounded before anything is decoded.
/// </summary>
internal static class StructuredDictionary
{
    public const int MaxLength = 512;
    public const int MaxMembers = 8;
    public const int MaxKeyLength = 16;
    public const int MaxTokenLength = 64;
    public const int MaxBytesLength = 64;
    private const int MaxIntegerDigits = 15; // RFC 8941 section 3.3.1

    /// <exception cref="ChannelBindingException">Oversized or Malformed, saying where.</exception>
    public static List<KeyValuePair<string, StructuredItem>> Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length > MaxLength)
        {
            throw Fail(BindingFailureReason.Oversized, $"A binding header is at most {MaxLength} characters; this one has {input.Length}.");
        }

        var members = new List<KeyValuePair<string, StructuredItem>>();
        var s = input.AsSpan();
        var i = SkipSpaces(s, 0); // RFC 8941 4.2: leading and trailing SP are discarded
        var end = s.Length;
        while (end > i && s[end - 1] == ' ')
        {
            end--;
        }

        s = s[..end];
        if (i == s.Length)
        {
            throw Fail(BindingFailureReason.Malformed, "The header is empty.");
        }

        while (true)
        {
            var key = ParseKey(s, ref i);
            if (members.Exists(m => m.Key == key))
            {
                throw Fail(BindingFailureReason.Malformed, $"Key '{key}' appears twice.");
            }

            if (members.Count == MaxMembers)
            {
                throw Fail(BindingFailureReason.Oversized, $"A binding header has at most {MaxMembers} members.");
            }

            if (i >= s.Length || s[i] != '=')
            {
                throw Fail(BindingFailureReason.Malformed, $"Key '{key}' has no value ('=' expected at {i}; booleans and parameters are not used).");
            }

            i++;
            members.Add(new(key, ParseItem(s, ref i)));
            i = SkipOws(s, i);
            if (i == s.Length)
            {
                return members;
            }

            if (s[i] != ',')
            {
                throw Fail(BindingFailureReason.Malformed, $"',' expected at {i} (parameters and inner lists are not used).");
            }

            i = SkipOws(s, i + 1);
            if (i == s.Length)
            {
                throw Fail(BindingFailureReason.Malformed, "The header ends with ','.");
            }
        }
    }

    public static string Serialize(IEnumerable<KeyValuePair<string, StructuredItem>> members)
    {
        var text = new StringBuilder();
        foreach (var (key, item) in members)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(key).Append('=');
            _ = item.Kind switch
            {
                StructuredItemKind.Integer => text.Append(item.Integer.ToString(CultureInfo.InvariantCulture)),
                StructuredItemKind.Token => text.Append(item.Token),
                _ => text.Append(':').Append(Convert.ToBase64String(item.Bytes!)).Append(':'),
            };
        }

        return text.ToString();
    }

    private static string ParseKey(ReadOnlySpan<char> s, ref int i)
    {
        var start = i;
        if (i >= s.Length || !(s[i] is (>= 'a' and <= 'z') or '*'))
        {
            throw Fail(BindingFailureReason.Malformed, $"A key starts with a lower-case letter or '*' (at {i}).");
        }

        while (i < s.Length && s[i] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*')
        {
            if (++i - start > MaxKeyLength)
            {
                throw Fail(BindingFailureReason.Oversized, $"A key is at most {MaxKeyLength} characters.");
            }
        }

        return s[start..i].ToString();
    }

    private static StructuredItem ParseItem(ReadOnlySpan<char> s, ref int i)
    {
        if (i >= s.Length)
        {
            throw Fail(BindingFailureReason.Malformed, "A value is missing at the end.");
        }

        var c = s[i];
        if (c is '-' or (>= '0' and <= '9'))
        {
            return ParseInteger(s, ref i);
        }

        if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '*')
        {
            return ParseToken(s, ref i);
        }

        if (c == ':')
        {
            return ParseBytes(s, ref i);
        }

        throw Fail(BindingFailureReason.Malformed, $"Unsupported value at {i} (only integers, tokens and byte sequences are used).");
    }

    private static StructuredItem ParseInteger(ReadOnlySpan<char> s, ref int i)
    {
        var negative = s[i] == '-';
        var start = negative ? i + 1 : i;
        var j = start;
        while (j < s.Length && s[j] is >= '0' and <= '9')
        {
            j++;
        }

        if (j == start || j - start > MaxIntegerDigits)
        {
            throw Fail(BindingFailureReason.Malformed, $"An integer has 1 to {MaxIntegerDigits} digits (at {i}).");
        }

        if (j < s.Length && s[j] == '.')
        {
            throw Fail(BindingFailureReason.Malformed, $"Decimals are not used (at {j}).");
        }

        var value = long.Parse(s[start..j], NumberStyles.None, CultureInfo.InvariantCulture);
        i = j;
        return StructuredItem.FromInteger(negative ? -value : value);
    }

    private static StructuredItem ParseToken(ReadOnlySpan<char> s, ref int i)
    {
        var start = i++;
        while (i < s.Length && IsTokenChar(s[i]))
        {
            i++;
        }

        return i - start <= MaxTokenLength
            ? StructuredItem.FromToken(s[start..i].ToString())
            : throw Fail(BindingFailureReason.Oversized, $"A token is at most {MaxTokenLength} characters.");
    }

    private static StructuredItem ParseBytes(ReadOnlySpan<char> s, ref int i)
    {
        var start = i + 1;
        var close = s[start..].IndexOf(':');
        if (close < 0)
        {
            throw Fail(BindingFailureReason.Malformed, $"A byte sequence starting at {i} has no closing ':'.");
        }

        var text = s.Slice(start, close);
        if (text.Length > (MaxBytesLength + 2) / 3 * 4)
        {
            throw Fail(BindingFailureReason.Oversized, $"A byte sequence is at most {MaxBytesLength} octets.");
        }

        foreach (var ch in text)
        {
            if (!(ch is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '='))
            {
                throw Fail(BindingFailureReason.Malformed, $"A byte sequence holds base64 only (at {i}).");
            }
        }

        Span<byte> bytes = stackalloc byte[MaxBytesLength];
        if (text.Length % 4 != 0 || !Convert.TryFromBase64Chars(text, bytes, out var written)
            || !Convert.ToBase64String(bytes[..written]).AsSpan().SequenceEqual(text))
        {
            throw Fail(BindingFailureReason.Malformed, $"A byte sequence is canonical padded base64 (at {i}).");
        }

        i = start + close + 1;
        return StructuredItem.FromBytes(bytes[..written].ToArray());
    }

    // RFC 8941 sf-token: tchar (RFC 9110) plus ':' and '/'.
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' or ':' or '/';

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }

        return i;
    }

    private static int SkipOws(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static ChannelBindingException Fail(BindingFailureReason reason, string message) => new(reason, "Binding header: " + message);
}
