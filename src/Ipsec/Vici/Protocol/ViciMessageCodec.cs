namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>Turns message bytes into a <see cref="ViciMessage"/> tree and back.</summary>
internal static class ViciMessageCodec
{
    /// <summary>Parses a whole message; values are slices of <paramref name="message"/>, which must stay unchanged.</summary>
    /// <exception cref="ViciProtocolException">Any violation of the message grammar.</exception>
    public static ViciMessage Decode(ReadOnlyMemory<byte> message, int baseOffset = 0)
    {
        var root = new ViciMessage();
        var stack = new Stack<ViciMessage>();
        var current = root;
        string? listName = null;
        var listOffset = 0;
        List<ReadOnlyMemory<byte>>? items = null;

        var reader = new ViciReader(message.Span, baseOffset);
        while (reader.Read())
        {
            switch (reader.ElementType)
            {
                case ViciElementType.SectionStart:
                    var name = Ascii(reader.Name);
                    var section = new ViciMessage(current.Where(name));
                    current.AddParsed(new ViciEntry(name, section), reader.ElementOffset);
                    stack.Push(current);
                    current = section;
                    break;
                case ViciElementType.SectionEnd:
                    current = stack.Pop(); // the reader guarantees balance
                    break;
                case ViciElementType.KeyValue:
                    current.AddParsed(new ViciEntry(Ascii(reader.Name), message.Slice(reader.ValueIndex, reader.Value.Length)), reader.ElementOffset);
                    break;
                case ViciElementType.ListStart:
                    listName = Ascii(reader.Name);
                    listOffset = reader.ElementOffset;
                    items = [];
                    break;
                case ViciElementType.ListItem:
                    items!.Add(message.Slice(reader.ValueIndex, reader.Value.Length));
                    break;
                case ViciElementType.ListEnd:
                    current.AddParsed(new ViciEntry(listName!, items!), listOffset);
                    items = null;
                    break;
            }
        }

        return root;
    }

    /// <summary>The bare message bytes (no packet header), as the README's encoding example shows them.</summary>
    public static ReadOnlyMemory<byte> Encode(ViciMessage message)
    {
        var writer = new ViciWriter();
        message.WriteTo(writer);
        return writer.Finish();
    }

    private static string Ascii(ReadOnlySpan<byte> name) => System.Text.Encoding.ASCII.GetString(name); // validated by the reader
}
