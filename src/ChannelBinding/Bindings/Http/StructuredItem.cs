namespace CbbToolkit.Channels.Bindings.Http;

/// <summary>One bare item of the RFC 8941 subset the binding headers use: an integer, a token or a byte sequence.</summary>
internal readonly struct StructuredItem
{
    private StructuredItem(StructuredItemKind kind, long integer, string? token, byte[]? bytes)
    {
        Kind = kind;
        Integer = integer;
        Token = token;
        Bytes = bytes;
    }

    public StructuredItemKind Kind { get; }

    public long Integer { get; }

    public string? Token { get; }

    public byte[]? Bytes { get; }

    public static StructuredItem FromInteger(long value) => new(StructuredItemKind.Integer, value, null, null);

    public static StructuredItem FromToken(string value) => new(StructuredItemKind.Token, 0, value, null);

    public static StructuredItem FromBytes(byte[] value) => new(StructuredItemKind.ByteSequence, 0, null, value);
}

/// <summary>The kinds of <see cref="StructuredItem"/>.</summary>
internal enum StructuredItemKind
{
    Integer = 1,
    Token = 2,
    ByteSequence = 3,
}
