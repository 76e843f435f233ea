using System.Net.Security;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.Tls;

/// <summary>Channel information straight from an <see cref="SslStream"/>.</summary>
public static class SslStreamChannelInfoExtensions
{
    /// <summary>
    /// Computes the channel information of an authenticated client or server stream
    /// (<see cref="TlsChannelInfoConverter.FromSslStream(SslStream, IpsecPolicy)"/>).
    /// </summary>
    /// <param name="stream">An authenticated stream.</param>
    /// <param name="policy">The policy that selects the attributes; null for <see cref="IpsecPolicy.Default"/> (everything).</param>
    /// <returns>The channel information.</returns>
    /// <exception cref="Ipsec.IpsecException">As <see cref="TlsChannelInfoConverter.FromSslStream(SslStream, IpsecPolicy)"/>.</exception>
    public static ChannelInfo GetChannelInfo(this SslStream stream, IpsecPolicy? policy = null) =>
        TlsChannelInfoConverter.FromSslStream(stream, policy ?? IpsecPolicy.Default);
}
