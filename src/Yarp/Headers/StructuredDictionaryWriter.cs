using System.Text;

namespace CbbToolkit.Yarp.Headers;

/// <summary>Writes an RFC 8941 dictionary (section 4.1.2) member by member; keys are the caller's constants.</summary>
internal sealed class StructuredDictionaryWriter
{
    private readonly StringBuilder _text = new();

    public bool IsEmpty => _text.Length == 0;

    /// <summary>A string; one that is not printable ASCII (which an sf-string cannot hold) goes as the bytes of its UTF-8.</summary>
    public void String(string key, string value)
    {
        if (!IsPrintableAscii(value))
        {
            Bytes(key, Encoding.UTF8.GetBytes(value));
            return;
        }

        Key(key).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                _text.Append('\\');
            }

            _text.Append(c);
        }

        _text.Append('"');
    }

    public void Token(string key, string value)
    {
        if (!StructuredDictionaryParser.IsToken(value))
        {
            throw new ArgumentException($"'{value}' is not an RFC 8941 token.", nameof(value));
        }

        Key(key).Append(value);
    }

    public void Integer(string key, long value)
    {
        if (value is > 999_999_999_999_999 or < -999_999_999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "An RFC 8941 integer has at most 15 digits.");
        }

        Key(key).Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Boolean(string key, bool value)
    {
        Key(key);
        _text.Length--; // a true boolean member is the bare key (section 4.1.2); false is "=?0"
        if (!value)
        {
            _text.Append("=?0");
        }
    }

    public void Bytes(string key, ReadOnlySpan<byte> value) => Key(key).Append(':').Append(Convert.ToBase64String(value)).Append(':');

    public void StringList(string key, IEnumerable<string> values)
    {
        Key(key).Append('(');
        var first = true;
        foreach (var value in values)
        {
            if (!IsPrintableAscii(value))
            {
                throw new ArgumentException("A list member must be printable ASCII.", nameof(values));
            }

            _text.Append(first ? "" : " ").Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            first = false;
        }

        _text.Append(')');
    }

    /// <summary>A value as <see cref="StructuredDictionaryParser"/> returns it.</summary>
    public void Value(string key, object value)
    {
        switch (value)
        {
            case string text: String(key, text); break;
            case StructuredToken token: Token(key, token.Value); break;
            case long number: Integer(key, number); break;
            case bool flag: Boolean(key, flag); break;
            case byte[] bytes: Bytes(key, bytes); break;
            case decimal number: Key(key).Append(number.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case IEnumerable<object> list when list.All(i => i is string): StringList(key, list.Cast<string>()); break;
            default: throw new ArgumentException($"Cannot write a {value.GetType().Name} member.", nameof(value));
        }
    }

    public override string ToString() => _text.ToString();

    private StringBuilder Key(string key)
    {
        if (!StructuredDictionaryParser.IsKey(key))
        {
            throw new ArgumentException($"'{key}' is not an RFC 8941 key.", nameof(key));
        }

        return _text.Append(_text.Length == 0 ? "" : ", ").Append(key).Append('=');
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
