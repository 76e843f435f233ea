using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Http;

/// <summary>
/// A connection the handler refused: it says why and for which flow. SocketsHttpHandler surfaces it as the
/// <see cref="Exception.InnerException"/> of the <see cref="HttpRequestException"/> the request fails with; nothing
/// is retried over a weaker channel.
/// </summary>
public sealed class IpsecChannelRefusedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the connection was refused.</param>
    /// <param name="flow">The TCP flow, when the socket got as far as connecting.</param>
    /// <param name="message">What happened, for operators.</param>
    /// <param name="innerException">The failure underneath, if any.</param>
    public IpsecChannelRefusedException(IpsecChannelRefusal reason, IpsecFlow? flow, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Flow = flow;
    }

    /// <summary>Why the connection was refused.</summary>
    public IpsecChannelRefusal Reason { get; }

    /// <summary>The flow refused, or <see langword="null"/> when no connection was made.</summary>
    public IpsecFlow? Flow { get; }
}
