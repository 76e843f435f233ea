using System.Globalization;
using System.Text;

namespace CbbToolkit.Yarp.Headers;

/// <summary>
/// Parses an RFC 8941 dictionary (section 4.2.2), such as a <c>CBB-Identity</c> header. Member values are
/// <see cref="string"/>, <see cref="StructuredToken"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="bool"/>,
/// <c>byte[]</c>, or an inner list (<see cref="IReadOnlyList{T}"/> of those). Parameters are checked and dropped:
/// the CBB-Identity format has none.
/// </summary>
public static class StructuredDictionaryParser
{
    /// <summary>Parses <paramref name="field"/>; a duplicated key keeps its last value (section 4.2.2).</summary>
    /// <param name="field">The field value (several field lines joined with commas).</param>
    /// <returns>The members by key, in first-seen order.</returns>
    /// <exception cref="FormatException">When the value is not an RFC 8941 dictionary.</exception>
    public static IReadOnlyDictionary<string, object> Parse(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var reader = new Reader(field);
        var members = new Dictionary<string, object>(StringComparer.Ordinal);
        reader.SkipSpaces();
        while (!reader.AtEnd)
        {
            var key = reader.Key();
            object value;
            if (reader.TryTake('='))
            {
                value = reader.Peek == '(' ? reader.InnerList() : reader.BareItem();
            }
            else
            {
                value = true;
            }

            reader.Parameters();
            members[key] = value;
            reader.SkipOptionalWhitespace();
            if (reader.AtEnd)
            {
                break;
            }

            reader.Expect(',');
            reader.SkipOptionalWhitespace();
            if (reader.AtEnd)
            {
                throw reader.Error("a trailing comma");
            }
        }

        return members;
    }

    /// <summary>Whether <paramref name="field"/> parses as an RFC 8941 dictionary.</summary>
    /// <param name="field">The field value.</param>
    /// <param name="members">The members, when it does.</param>
    /// <returns>True when it parsed.</returns>
    public static bool TryParse(string? field, out IReadOnlyDictionary<string, object> members)
    {
        members = new Dictionary<string, object>();
        if (field is null)
        {
            return false;
        }

        try
        {
            members = Parse(field);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    internal static bool IsKey(string key) =>
        key.Length > 0 && (key[0] is (>= 'a' and <= 'z') or '*') && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*');

    internal static bool IsToken(string token) =>
        token.Length > 0 && (char.IsAsciiLetter(token[0]) || token[0] == '*') && token.All(c => IsTokenChar(c) || c is ':' or '/');

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private struct Reader(string text)
    {
        private int _at;

        public readonly bool AtEnd => _at >= text.Length;

        public readonly char Peek => AtEnd ? '\0' : text[_at];

        public readonly FormatException Error(string what) => new($"Not an RFC 8941 dictionary: {what} at offset {_at}.");

        public bool TryTake(char c)
        {
            if (Peek != c || AtEnd)
            {
                return false;
            }

            _at++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw Error($"'{c}' expected");
            }
        }

        public void SkipSpaces()
        {
            while (!AtEnd && text[_at] == ' ')
            {
                _at++;
            }
        }

        public void SkipOptionalWhitespace()
        {
            while (!AtEnd && text[_at] is ' ' or '\t')
            {
                _at++;
            }
        }

        public string Key()
        {
            var start = _at;
            if (!(Peek is (>= 'a' and <= 'z') or '*'))
            {
                throw Error("a key expected");
            }

            while (!AtEnd && text[_at] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*')
            {
                _at++;
            }

            return text[start.._at];
        }

        public List<object> InnerList()
        {
            Expect('(');
            var items = new List<object>();
            while (true)
            {
                SkipSpaces();
                if (TryTake(')'))
                {
                    return items;
                }

                items.Add(BareItem());
                Parameters();
                if (Peek is not (' ' or ')'))
                {
                    throw Error("' ' or ')' expected in an inner list");
                }
            }
        }

        public void Parameters()
        {
            while (TryTake(';'))
            {
                SkipSpaces();
                Key();
                if (TryTake('='))
                {
                    BareItem();
                }
            }
        }

        public object BareItem() => Peek switch
        {
            '-' or (>= '0' and <= '9') => Number(),
            '"' => QuotedString(),
            ':' => ByteSequence(),
            '?' => Boolean(),
            '*' => Token(),
            var c when char.IsAsciiLetter(c) => Token(),
            _ => throw Error("an item expected"),
        };

        private object Number()
        {
            var start = _at;
            TryTake('-');
            while (!AtEnd && (char.IsAsciiDigit(text[_at]) || text[_at] == '.'))
            {
                _at++;
            }

            var number = text[start.._at];
            var isDecimal = number.Contains('.', StringComparison.Ordinal);
            var digits = number.TrimStart('-');
            if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]) || digits.EndsWith('.') || (isDecimal ? digits.Length > 16 : digits.Length > 15))
            {
                throw Error("a malformed number");
            }

            return isDecimal
                ? decimal.Parse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)
                : (object)long.Parse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private string QuotedString()
        {
            Expect('"');
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("an unterminated string");
                }

                var c = text[_at++];
                if (c == '"')
                {
                    return value.ToString();
                }

                if (c == '\\')
                {
                    if (AtEnd || text[_at] is not ('"' or '\\'))
                    {
                        throw Error("a bad escape");
                    }

                    c = text[_at++];
                }
                else if (c is < ' ' or > '~')
                {
                    throw Error("a character a string cannot hold");
                }

                value.Append(c);
            }
        }

        private byte[] ByteSequence()
        {
            Expect(':');
            var end = text.IndexOf(':', _at);
            if (end < 0)
            {
                throw Error("an unterminated byte sequence");
            }

            var base64 = text[_at..end];
            _at = end + 1;
            try
            {
                return Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw Error("bad base64");
            }
        }

        private bool Boolean()
        {
            Expect('?');
            var value = Peek switch { '1' => true, '0' => false, _ => throw Error("?0 or ?1 expected") };
            _at++;
            return value;
        }

        private StructuredToken Token()
        {
            var start = _at++;
            while (!AtEnd && (IsTokenChar(text[_at]) || text[_at] is ':' or '/'))
            {
                _at++;
            }

            return new StructuredToken(text[start.._at]);
        }
    }
}
