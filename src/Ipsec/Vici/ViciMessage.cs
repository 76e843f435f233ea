using System.Globalization;
using System.Numerics;
using System.Text;
using CbbToolkit.Ipsec.Vici.Protocol;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>
/// A VICI message, or one of its sections: named entries in their wire order, each a value, a sub-section or a list.
/// Names are unique within a section (the protocol's rule, enforced when building and when parsing).
/// Typed getters return null when a key is absent and throw <see cref="ViciProtocolException"/> when it is present but
/// not of the asked shape (a section where a value was expected, a number that does not parse, bytes that are not UTF-8).
/// </summary>
public sealed class ViciMessage
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private readonly List<ViciEntry> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Creates an empty message.</summary>
    public ViciMessage()
    {
        Path = string.Empty;
    }

    internal ViciMessage(string path)
    {
        Path = path;
    }

    /// <summary>The entries in wire order.</summary>
    public IReadOnlyList<ViciEntry> Entries => _entries;

    /// <summary>How many entries this section holds.</summary>
    public int Count => _entries.Count;

    /// <summary>The section path from the message root ("" for the root, "lab/child-sas" below), for error messages.</summary>
    public string Path { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public ViciEntry? Find(string name) => _index.TryGetValue(name, out var i) ? _entries[i] : null;

    /// <summary>Adds a text value (UTF-8 on the wire).</summary>
    public ViciMessage Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(key, (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Adds a number, as charon expects it: decimal text.</summary>
    public ViciMessage Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a flag as "yes" or "no".</summary>
    public ViciMessage Add(string key, bool value) => Add(key, value ? "yes" : "no");

    /// <summary>Adds a raw value (at most 65535 bytes).</summary>
    public ViciMessage Add(string key, ReadOnlyMemory<byte> value)
    {
        if (value.Length > ViciLimits.MaxValueLength)
        {
            throw new ArgumentException($"VICI values hold at most {ViciLimits.MaxValueLength} bytes.", nameof(value));
        }

        return AddEntry(key, new ViciEntry(key, value));
    }

    /// <summary>Adds a list of text values.</summary>
    public ViciMessage AddList(string key, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return AddList(key, items.Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(i ?? throw new ArgumentException("List items may not be null.", nameof(items)))));
    }

    /// <summary>Adds a list of raw values.</summary>
    public ViciMessage AddList(string key, IEnumerable<ReadOnlyMemory<byte>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToArray();
        if (list.Any(i => i.Length > ViciLimits.MaxValueLength))
        {
            throw new ArgumentException($"VICI values hold at most {ViciLimits.MaxValueLength} bytes.", nameof(items));
        }

        return AddEntry(key, new ViciEntry(key, list));
    }

    /// <summary>Adds a sub-section.</summary>
    public ViciMessage AddSection(string key, ViciMessage section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (ReferenceEquals(section, this) || section.Contains(this))
        {
            throw new ArgumentException("A VICI section cannot contain itself.", nameof(section));
        }

        return AddEntry(key, new ViciEntry(key, section));
    }

    /// <summary>The value of <paramref name="key"/> as UTF-8 text, or null when absent.</summary>
    public string? GetString(string key)
    {
        var value = GetBytes(key);
        return value is null ? null : DecodeText(key, value.Value.Span);
    }

    /// <summary>The value of <paramref name="key"/> as text; throws <see cref="ViciProtocolException"/> when absent.</summary>
    public string GetRequiredString(string key) =>
        GetString(key) ?? throw new ViciProtocolException($"key '{Where(key)}' is missing");

    /// <summary>The raw value of <paramref name="key"/>, or null when absent.</summary>
    public ReadOnlyMemory<byte>? GetBytes(string key) => Get(key, ViciEntryKind.Value)?.Value;

    /// <summary>The sub-section <paramref name="key"/>, or null when absent.</summary>
    public ViciMessage? GetSection(string key) => Get(key, ViciEntryKind.Section)?.Section;

    /// <summary>The list <paramref name="key"/> as UTF-8 text items, or null when absent.</summary>
    public IReadOnlyList<string>? GetList(string key) =>
        Get(key, ViciEntryKind.List)?.Items!.Select(i => DecodeText(key, i.Span)).ToArray();

    /// <summary>The sub-sections in wire order (for example one per IKE SA or per child SA).</summary>
    public IEnumerable<KeyValuePair<string, ViciMessage>> Sections =>
        _entries.Where(e => e.Kind == ViciEntryKind.Section).Select(e => KeyValuePair.Create(e.Name, e.Section!));

    /// <summary>A decimal value as a signed 64-bit number, or null when absent.</summary>
    public long? GetInt64(string key) => ParseNumber<long>(key, NumberStyles.AllowLeadingSign);

    /// <summary>A decimal value as an unsigned 64-bit number (byte and packet counters), or null when absent.</summary>
    public ulong? GetUInt64(string key) => ParseNumber<ulong>(key, NumberStyles.None);

    /// <summary>A decimal value as an unsigned 32-bit number (unique ids, reqids), or null when absent.</summary>
    public uint? GetUInt32(string key) => ParseNumber<uint>(key, NumberStyles.None);

    /// <summary>A hex value (SPIs, as charon prints them: "c1a2b3d4", no prefix) as 32 bits, or null when absent.</summary>
    public uint? GetHexUInt32(string key) => ParseNumber<uint>(key, NumberStyles.AllowHexSpecifier);

    /// <summary>A hex value (IKE SPIs) as 64 bits, or null when absent.</summary>
    public ulong? GetHexUInt64(string key) => ParseNumber<ulong>(key, NumberStyles.AllowHexSpecifier);

    /// <summary>A flag: "yes"/"1"/"true" is true, "no"/"0"/"false" or absent is false; anything else is an error.</summary>
    public bool GetBoolean(string key) => GetString(key) switch
    {
        null => false,
        "yes" or "1" or "true" => true,
        "no" or "0" or "false" => false,
        var other => throw new ViciProtocolException($"key '{Where(key)}' is '{Printable(other)}', not yes or no"),
    };

    /// <summary>The structure with value sizes only: values may be secrets (keys loaded with load-key), so none are shown.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        foreach (var e in _entries)
        {
            text.Append(' ').Append(e.Kind == ViciEntryKind.Section ? $"{e.Name} {e.Section}" : e.ToString()).Append(';');
        }

        return text.Append(" }").ToString();
    }

    internal void WriteTo(ViciWriter writer)
    {
        foreach (var e in _entries)
        {
            switch (e.Kind)
            {
                case ViciEntryKind.Value:
                    writer.KeyValue(e.Name, e.Value.Span);
                    break;
                case ViciEntryKind.Section:
                    writer.BeginSection(e.Name);
                    e.Section!.WriteTo(writer);
                    writer.EndSection();
                    break;
                default:
                    writer.BeginList(e.Name);
                    foreach (var item in e.Items!)
                    {
                        writer.ListItem(item.Span);
                    }

                    writer.EndList();
                    break;
            }
        }
    }

    /// <summary>Adds an entry read from the wire; a repeated name is the peer's protocol violation.</summary>
    internal void AddParsed(ViciEntry entry, int offset)
    {
        if (!_index.TryAdd(entry.Name, _entries.Count))
        {
            throw new ViciProtocolException($"name '{Where(entry.Name)}' appears twice in one section", offset);
        }

        _entries.Add(entry);
    }

    internal string Where(string key) => Path.Length == 0 ? key : Path + "/" + key;

    private ViciMessage AddEntry(string key, ViciEntry entry)
    {
        ViciNames.ThrowIfInvalid(key, nameof(key));
        if (!_index.TryAdd(key, _entries.Count))
        {
            throw new ArgumentException($"The section already has an entry named '{key}'.", nameof(key));
        }

        _entries.Add(entry);
        return this;
    }

    private bool Contains(ViciMessage other) =>
        _entries.Any(e => e.Kind == ViciEntryKind.Section && (ReferenceEquals(e.Section, other) || e.Section!.Contains(other)));

    private ViciEntry? Get(string key, ViciEntryKind kind)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entry = Find(key);
        if (entry is not null && entry.Kind != kind)
        {
            throw new ViciProtocolException($"'{Where(key)}' is a {entry.Kind.ToString().ToLowerInvariant()}, expected a {kind.ToString().ToLowerInvariant()}");
        }

        return entry;
    }

    private T? ParseNumber<T>(string key, NumberStyles style)
        where T : struct, INumberBase<T>
    {
        var text = GetString(key);
        if (text is null)
        {
            return null;
        }

        return T.TryParse(text, style, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ViciProtocolException($"key '{Where(key)}' is '{Printable(text)}', not a {(style == NumberStyles.AllowHexSpecifier ? "hex " : string.Empty)}number of the expected size");
    }

    private string DecodeText(string key, ReadOnlySpan<byte> value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException e)
        {
            throw new ViciProtocolException($"value of '{Where(key)}' is not UTF-8 text", -1, e);
        }
    }

    private static string Printable(string text) =>
        text.Length > 40 || text.Any(char.IsControl) ? $"<{text.Length} characters>" : text;
}
