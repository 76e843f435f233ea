using System.Globalization;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Serialization;

/// <summary>
/// Serialized channel information (binary or JSON) that does not parse: <see cref="IpsecException.Error"/> is always
/// <see cref="IpsecError.BadMessage"/> (EBADMSG), <see cref="Offset"/> says where the problem was found.
/// </summary>
public sealed class ChannelInfoFormatException : IpsecException
{
    /// <summary>Creates the error for a problem found at <paramref name="offset"/>.</summary>
    /// <param name="offset">The byte offset into the input (UTF-8 for JSON) where the problem was found.</param>
    /// <param name="problem">What was wrong, without any value from the input.</param>
    /// <param name="innerException">The parser's own error, if any.</param>
    public ChannelInfoFormatException(long offset, string problem, Exception? innerException = null)
        : base(IpsecError.BadMessage,
            string.Create(CultureInfo.InvariantCulture, $"Malformed channel information at offset {offset}: {problem}."),
            innerException)
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The byte offset into the input where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What was wrong (the message without the offset).</summary>
    public string Problem { get; }
}
