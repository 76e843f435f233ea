using System.Buffers.Binary;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.NativeApi;

/// <summary>
/// <c>ipsec_openssl_to_channel_info</c> for a C program's <c>SSL*</c>: the attributes
/// <see cref="TlsChannelInfoConverter.FromSslStream(System.Net.Security.SslStream, IpsecPolicy)"/> computes for an
/// SslStream, by the same rules, read from OpenSSL directly.
/// </summary>
internal static class OpenSslChannelInfo
{
    private const ushort Tls12 = 0x0303;
    private const ushort Tls13 = 0x0304;

    private static ReadOnlySpan<byte> ChannelBindingLabel => "EXPORTER-Channel-Binding"u8; // RFC 9266

    /// <exception cref="IpsecException">NotConnected before the handshake completes; NotSupported for an unknown version or
    /// a required binding none of which is defined; ProtocolOptionUnavailable without libssl.so.3 in the process.</exception>
    public static ChannelInfo From(nint ssl, IpsecPolicy policy)
    {
        var lib = CallerLibSsl.Loaded;
        if (!lib.IsHandshakeDone(ssl))
        {
            throw new IpsecException(IpsecError.NotConnected, "The SSL has not completed its handshake.");
        }

        var version = lib.Version(ssl);
        if (version is < 0x0301 or > Tls13)
        {
            throw new IpsecException(IpsecError.NotSupported, $"The SSL negotiated version 0x{version:x4}, which is no TLS version this toolkit knows.");
        }

        var isServer = lib.IsServer(ssl);
        var ems = version == Tls13 || lib.ExtendedMasterSecret(ssl) == 1; // TLS 1.3 always binds the transcript
        Span<byte> scratch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(scratch, version);
        var info = ChannelInfo.Empty.With(ChannelAttributeType.TlsVersion, scratch[..2]);
        BinaryPrimitives.WriteUInt16BigEndian(scratch, lib.CipherSuite(ssl));
        info = info.With(ChannelAttributeType.TlsCipherSuite, scratch[..2])
            .With(ChannelAttributeType.Role, [(byte)(isServer ? ChannelRole.Server : ChannelRole.Client)]);
        BinaryPrimitives.WriteInt64BigEndian(scratch, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        info = info.With(ChannelAttributeType.CreatedAt, scratch)
            .With(ChannelAttributeType.ExtendedMasterSecret, [ems ? (byte)1 : (byte)0]);

        var wanted = policy.ChannelBindings;
        if (wanted.Includes(TlsChannelBindings.TlsExporter) && ems)
        {
            var exporter = new byte[32];
            info = lib.Export(ssl, exporter, ChannelBindingLabel)
                ? info.With(ChannelAttributeType.TlsExporter, exporter)
                : throw new IpsecException(IpsecError.NotSupported, "OpenSSL refused to export keying material for this session.");
        }

        var local = lib.LocalCertificate(ssl);
        var peer = lib.PeerCertificate(ssl);
        if (wanted.Includes(TlsChannelBindings.TlsServerEndPoint) && (isServer ? local : peer) is { } server
            && TlsServerEndPoint.TryCompute(server, out var endPoint, out _))
        {
            info = info.With(ChannelAttributeType.TlsServerEndPoint, endPoint);
        }

        if (wanted.Includes(TlsChannelBindings.TlsUnique) && version == Tls12 && ems && TlsUnique(lib, ssl, isServer) is { } unique)
        {
            info = info.With(ChannelAttributeType.TlsUnique, unique);
        }

        if (wanted.Includes(TlsChannelBindings.PeerCertificate) && peer is not null)
        {
            info = WithCertificate(info, peer, ChannelAttributeType.PeerCertificate, ChannelAttributeType.PeerSpkiSha256);
        }

        if (wanted.Includes(TlsChannelBindings.LocalCertificate) && local is not null)
        {
            info = WithCertificate(info, local, ChannelAttributeType.LocalCertificate, ChannelAttributeType.LocalSpkiSha256);
        }

        if (policy.RequireChannelBinding && !info.Contains(ChannelAttributeType.TlsExporter)
            && !info.Contains(ChannelAttributeType.TlsServerEndPoint) && !info.Contains(ChannelAttributeType.TlsUnique))
        {
            throw new IpsecException(IpsecError.NotSupported, "The policy requires a channel binding, but none it selects is defined for this TLS session.");
        }

        return info;
    }

    // RFC 5929 section 3: the first Finished message of the latest handshake (the server's on a resumed one).
    private static byte[]? TlsUnique(CallerLibSsl lib, nint ssl, bool isServer)
    {
        var ownFirst = isServer == lib.SessionReused(ssl);
        Span<byte> buffer = stackalloc byte[64];
        var length = lib.Finished(ssl, buffer, peer: !ownFirst);
        return length is >= 12 and <= 64 ? buffer[..length].ToArray() : null;
    }

    private static ChannelInfo WithCertificate(ChannelInfo info, byte[] der, ChannelAttributeType certificateType, ChannelAttributeType spkiType)
    {
        Span<byte> spkiHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(CertificateDer.ReadSubjectPublicKeyInfo(der).Span, spkiHash);
        return info.With(certificateType, der).With(spkiType, spkiHash);
    }
}
