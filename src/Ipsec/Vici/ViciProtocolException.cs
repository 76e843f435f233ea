namespace CbbToolkit.Ipsec.Vici;

/// <summary>
/// A VICI packet or message broke the protocol (bad length, unknown type, unbalanced sections, bad name, ...).
/// <see cref="IpsecException.Error"/> is <see cref="IpsecError.BadMessage"/>; the message says what was wrong and where.
/// </summary>
public sealed class ViciProtocolException : IpsecException
{
    /// <summary>Creates the error for a violation found at byte <paramref name="offset"/> (-1 when not tied to a position).</summary>
    public ViciProtocolException(string what, int offset = -1, Exception? innerException = null)
        : base(IpsecError.BadMessage, offset >= 0 ? $"Malformed VICI data at byte {offset}: {what}" : $"Malformed VICI data: {what}", innerException)
    {
        Offset = offset;
    }

    /// <summary>The byte offset of the violation within the message or packet, or -1.</summary>
    public int Offset { get; }
}
