using System.Net.Security;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.ChannelBinding.Tls;

/// <summary>
/// The managed <c>ipsec_openssl_to_channel_info</c>: turns an authenticated <see cref="SslStream"/> into
/// <see cref="ChannelInfo"/> according to the rules in an <see cref="IpsecPolicy"/>.
/// </summary>
public static class TlsChannelInfoConverter
{
    /// <summary>Computes the channel information of an authenticated client or server stream.</summary>
    /// <exception cref="Ipsec.IpsecException">When a value the policy asks for cannot be computed.</exception>
    public static ChannelInfo FromSslStream(SslStream stream, IpsecPolicy policy) =>
        throw new NotSupportedException("Not implemented yet.");
}
