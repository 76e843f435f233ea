using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The managed <c>ipsec_openssl_to_channel_info</c>: turns an authenticated <see cref="SslStream"/> into
/// <see cref="ChannelInfo"/> according to the rules in an <see cref="IpsecPolicy"/>.
/// </summary>
/// <remarks>
/// Always present: TLS version, cipher suite, role, creation time, and extended master secret (1 on TLS 1.3, whose key
/// schedule always binds the handshake transcript; absent only when it cannot be read). <see cref="IpsecPolicy.ChannelBindings"/>
/// selects the rest. Values undefined for the session are left out: tls-unique on TLS 1.3, tls-server-end-point for
/// Ed25519/Ed448 certificates, tls-exporter and tls-unique on TLS 1.2 without extended master secret (RFC 7627). When
/// <see cref="IpsecPolicy.RequireChannelBinding"/> is set and no binding value could be included, the conversion fails.
/// </remarks>
public static class TlsChannelInfoConverter
{
    /// <summary>Computes the channel information of an authenticated client or server stream.</summary>
    /// <param name="stream">An authenticated stream.</param>
    /// <param name="policy">The policy whose <see cref="IpsecPolicy.ChannelBindings"/> select the attributes.</param>
    /// <returns>The channel information.</returns>
    /// <exception cref="IpsecException">
    /// NotConnected when the stream is not authenticated; NotSupported when the policy requires a channel binding and
    /// none is defined for this session; NotSupported or ProtocolOptionUnavailable when the policy asks for tls-exporter
    /// and this runtime cannot compute it (the message says why and what to do).
    /// </exception>
    public static ChannelInfo FromSslStream(SslStream stream, IpsecPolicy policy) => FromSslStream(stream, policy, out _);

    /// <summary>
    /// Computes the channel information of an authenticated client or server stream, and tells which attributes the
    /// policy asked for are left out and why.
    /// </summary>
    /// <param name="stream">An authenticated stream.</param>
    /// <param name="policy">The policy whose <see cref="IpsecPolicy.ChannelBindings"/> select the attributes.</param>
    /// <param name="omitted">The attributes asked for but left out, with the reason.</param>
    /// <returns>The channel information.</returns>
    /// <exception cref="IpsecException">As <see cref="FromSslStream(SslStream, IpsecPolicy)"/>.</exception>
    public static ChannelInfo FromSslStream(SslStream stream, IpsecPolicy policy, out IReadOnlyList<ChannelInfoOmission> omitted) =>
        FromSslStream(stream, policy, TimeProvider.System, out omitted);

    /// <summary>
    /// Computes the channel information of an authenticated client or server stream, with created-at read from
    /// <paramref name="timeProvider"/>, and tells which attributes the policy asked for are left out and why.
    /// </summary>
    /// <param name="stream">An authenticated stream.</param>
    /// <param name="policy">The policy whose <see cref="IpsecPolicy.ChannelBindings"/> select the attributes.</param>
    /// <param name="timeProvider">The clock created-at comes from.</param>
    /// <param name="omitted">The attributes asked for but left out, with the reason.</param>
    /// <returns>The channel information.</returns>
    /// <exception cref="IpsecException">As <see cref="FromSslStream(SslStream, IpsecPolicy)"/>.</exception>
    public static ChannelInfo FromSslStream(SslStream stream, IpsecPolicy policy, TimeProvider timeProvider,
        out IReadOnlyList<ChannelInfoOmission> omitted)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var version = TlsWireVersion.Of(stream);
        if (version == 0)
        {
            throw new IpsecException(IpsecError.NotSupported, $"The stream negotiated {stream.SslProtocol}, which is no TLS version this toolkit knows.");
        }

        var wanted = policy.ChannelBindings;
        var left = new List<ChannelInfoOmission>();
        Span<byte> scratch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(scratch, version);
        var info = ChannelInfo.Empty.With(ChannelAttributeType.TlsVersion, scratch[..2]);
        BinaryPrimitives.WriteUInt16BigEndian(scratch, (ushort)stream.NegotiatedCipherSuite);
        info = info.With(ChannelAttributeType.TlsCipherSuite, scratch[..2])
            .With(ChannelAttributeType.Role, [(byte)(stream.IsServer ? ChannelRole.Server : ChannelRole.Client)]);
        BinaryPrimitives.WriteInt64BigEndian(scratch, timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        info = info.With(ChannelAttributeType.CreatedAt, scratch);
        if (TlsKeyingMaterial.GetExtendedMasterSecret(stream) is bool ems)
        {
            info = info.With(ChannelAttributeType.ExtendedMasterSecret, [ems ? (byte)1 : (byte)0]);
        }

        if (wanted.Includes(TlsChannelBindings.TlsExporter))
        {
            info = Add(info, left, ChannelAttributeType.TlsExporter, TlsKeyingMaterial.TryExportChannelBinding(stream, out var reason), reason);
        }

        if (wanted.Includes(TlsChannelBindings.TlsServerEndPoint))
        {
            info = AddServerEndPoint(info, left, stream.IsServer ? stream.LocalCertificate : stream.RemoteCertificate);
        }

        if (wanted.Includes(TlsChannelBindings.TlsUnique))
        {
            info = Add(info, left, ChannelAttributeType.TlsUnique, TlsUniqueBinding.TryGet(stream, out var reason), reason);
        }

        if (wanted.Includes(TlsChannelBindings.PeerCertificate))
        {
            info = AddCertificate(info, left, stream.RemoteCertificate, ChannelAttributeType.PeerCertificate, ChannelAttributeType.PeerSpkiSha256);
        }

        if (wanted.Includes(TlsChannelBindings.LocalCertificate))
        {
            info = AddCertificate(info, left, stream.LocalCertificate, ChannelAttributeType.LocalCertificate, ChannelAttributeType.LocalSpkiSha256);
        }

        if (policy.RequireChannelBinding && !HasBindingValue(info))
        {
            throw new IpsecException(IpsecError.NotSupported,
                "The policy requires a channel binding, but none of the types it selects is defined for this TLS session" +
                (left.Count == 0 ? " (it selects none)." : ": " + string.Join(" ", left.Select(o => o.Reason))) +
                " Select more TlsChannelBindings, or use TLS 1.3 (tls-exporter).");
        }

        omitted = left;
        return info;
    }

    private static bool HasBindingValue(ChannelInfo info) =>
        info.Contains(ChannelAttributeType.TlsExporter)
        || info.Contains(ChannelAttributeType.TlsServerEndPoint)
        || info.Contains(ChannelAttributeType.TlsUnique);

    private static ChannelInfo Add(ChannelInfo info, List<ChannelInfoOmission> left, ChannelAttributeType type, byte[]? value, string? reason)
    {
        if (value is not null)
        {
            return info.With(type, value);
        }

        left.Add(new(type, reason ?? "Not available."));
        return info;
    }

    private static ChannelInfo AddServerEndPoint(ChannelInfo info, List<ChannelInfoOmission> left, X509Certificate? serverCertificate)
    {
        if (serverCertificate is null)
        {
            return Add(info, left, ChannelAttributeType.TlsServerEndPoint, null, "The session has no server certificate.");
        }

        _ = TlsServerEndPoint.TryCompute(serverCertificate, out var value, out var reason);
        return Add(info, left, ChannelAttributeType.TlsServerEndPoint, value, reason);
    }

    private static ChannelInfo AddCertificate(ChannelInfo info, List<ChannelInfoOmission> left, X509Certificate? certificate,
        ChannelAttributeType certificateType, ChannelAttributeType spkiType)
    {
        if (certificate is null)
        {
            return Add(info, left, certificateType, null, "This end of the session has no certificate.");
        }

        var der = TlsServerEndPoint.RawData(certificate);
        Span<byte> spkiHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(CertificateDer.ReadSubjectPublicKeyInfo(der).Span, spkiHash);
        return info.With(certificateType, der.Span).With(spkiType, spkiHash);
    }
}
