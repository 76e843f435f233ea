using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// No pin exists for the authority and the caller did not allow leap of faith, so nothing was stored: the server is
/// unknown. Error <see cref="IpsecError.BlockedByPolicy"/>.
/// </summary>
public sealed class PinNotTrustedException : ChannelBindingStoreException
{
    /// <summary>Creates the error.</summary>
    public PinNotTrustedException(string authority)
        : base(IpsecError.BlockedByPolicy, $"{authority} has no pin and leap of faith is not allowed; nothing was stored. Allow leap of faith for a first contact, or pin it from a trusted connection.")
    {
        Authority = authority;
    }

    /// <summary>The server authority (canonical host:port).</summary>
    public string Authority { get; }
}
