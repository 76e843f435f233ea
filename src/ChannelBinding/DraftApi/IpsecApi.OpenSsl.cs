using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.DraftApi;

// Draft section 2.2.5: ipsec_openssl_to_channel_info, for .NET's TLS stream (OpenSSL underneath on Linux).
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The draft's functions return error values; nothing may escape.")]
public static partial class IpsecApi
{
    /// <summary>
    /// <c>ipsec_openssl_to_channel_info</c>: the channel information of an authenticated TLS stream, client or server,
    /// "according to the rules in the given policy" (<see cref="Ipsec.Policies.IpsecPolicy.ChannelBindings"/> selects the
    /// binding values). A thin call of <see cref="TlsChannelInfoConverter.FromSslStream(SslStream, Ipsec.Policies.IpsecPolicy)"/>.
    /// </summary>
    /// <returns>0; EINVAL for a null stream or a null or freed policy; ENOTCONN for a stream whose handshake has not
    /// completed (or that was disposed); otherwise the converter's error (docs/api.md: EOPNOTSUPP or ENOPROTOOPT when a
    /// value the policy asks for is undefined or cannot be computed here, EIO for an unexpected failure).
    /// On failure <paramref name="ci"/> is null.</returns>
    public static int ipsec_openssl_to_channel_info(SslStream? ssl, IpsecPolicyHandle? policy, out ChannelInfoHandle? ci) =>
        ipsec_openssl_to_channel_info(IpsecApiContext.Default, ssl, policy, out ci);

    /// <summary>
    /// <c>ipsec_openssl_to_channel_info</c> with an explicit context: its <see cref="IpsecApiContext.TimeProvider"/>
    /// gives created-at. As <see cref="ipsec_openssl_to_channel_info(SslStream?, IpsecPolicyHandle?, out ChannelInfoHandle?)"/>;
    /// EINVAL also for a null context.
    /// </summary>
    public static int ipsec_openssl_to_channel_info(IpsecApiContext? context, SslStream? ssl, IpsecPolicyHandle? policy, out ChannelInfoHandle? ci)
    {
        ci = null;
        if (context is null || ssl is null || policy?.Current is not { } current)
        {
            return Einval;
        }

        try
        {
            if (!ssl.IsAuthenticated)
            {
                return (int)IpsecError.NotConnected; // what the converter says too: no TLS session (yet, or any more)
            }

            ci = new ChannelInfoHandle(TlsChannelInfoConverter.FromSslStream(ssl, current, context.TimeProvider, out _));
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }
}
