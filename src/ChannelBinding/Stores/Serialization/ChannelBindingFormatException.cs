using System.Globalization;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// A serialized channel binding record (a pin store row, a distributed cache entry) that does not parse or does not
/// authenticate: <see cref="IpsecException.Error"/> is <see cref="IpsecError.BadMessage"/>, <see cref="Offset"/> says
/// where the problem was found (-1 when the whole entry was refused, e.g. by Data Protection).
/// </summary>
public sealed class ChannelBindingFormatException : ChannelBindingStoreException
{
    /// <summary>Creates the error for a problem found at <paramref name="offset"/>.</summary>
    /// <param name="offset">The byte offset into the entry, or -1 for the entry as a whole.</param>
    /// <param name="problem">What was wrong, without any value from the input.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ChannelBindingFormatException(long offset, string problem, Exception? innerException = null)
        : base(IpsecError.BadMessage,
            offset < 0
                ? string.Create(CultureInfo.InvariantCulture, $"Malformed channel binding entry: {problem}.")
                : string.Create(CultureInfo.InvariantCulture, $"Malformed channel binding entry at offset {offset}: {problem}."),
            innerException)
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The byte offset where the problem was found, or -1 for the entry as a whole.</summary>
    public long Offset { get; }

    /// <summary>What was wrong (the message without the offset).</summary>
    public string Problem { get; }
}
