using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>The TLS wire versions (RFC 8446 section 4.2.1) of the <see cref="SslProtocols"/> values.</summary>
internal static class TlsWireVersion
{
    internal const ushort Tls10 = 0x0301;
    internal const ushort Tls11 = 0x0302;
    internal const ushort Tls12 = 0x0303;
    internal const ushort Tls13 = 0x0304;

    // SslProtocols.Tls and Tls11 are obsolete as names; their values are stable.
    private const SslProtocols SslTls10 = (SslProtocols)0xC0;
    private const SslProtocols SslTls11 = (SslProtocols)0x300;

    /// <summary>The wire version of an authenticated stream's session, or 0 for a version this toolkit does not know.</summary>
    /// <exception cref="IpsecException">NotConnected when the stream is not (or no longer) authenticated.</exception>
    internal static ushort Of(SslStream stream) =>
        stream.IsAuthenticated
            ? Of(stream.SslProtocol)
            : throw new IpsecException(IpsecError.NotConnected,
                "The SslStream is not authenticated (or was disposed); use it after AuthenticateAsClientAsync or AuthenticateAsServerAsync completed.");

    /// <summary>The wire version, or 0 for a value that names no single TLS version.</summary>
    internal static ushort Of(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => Tls13,
        SslProtocols.Tls12 => Tls12,
        SslTls11 => Tls11,
        SslTls10 => Tls10,
        _ => 0,
    };
}
