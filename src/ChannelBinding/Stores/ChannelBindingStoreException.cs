using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The base of every error a channel binding store raises (pin store and server binding store). The message says what
/// went wrong and what to do; it never contains a secret.
/// </summary>
public class ChannelBindingStoreException : IpsecException
{
    /// <summary>Creates a store error with its draft API error value.</summary>
    public ChannelBindingStoreException(IpsecError error, string message, Exception? innerException = null)
        : base(error, message, innerException)
    {
    }
}
