using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Http;

/// <summary>What carried one connection the handler opened: the IPsec channel (or why there was none) and TLS.</summary>
public sealed class IpsecConnectionInfo
{
    internal IpsecConnectionInfo(IpsecChannelResolution resolution, bool isVerified, ChannelInfo? ipsecChannelInfo, IpsecLatchHandle? latch)
    {
        Resolution = resolution;
        IsVerified = isVerified;
        IpsecChannelInfo = ipsecChannelInfo;
        Latch = latch;
    }

    /// <summary>The connection's TCP flow.</summary>
    public IpsecFlow Flow => Resolution.Flow;

    /// <summary>The resolver's answer for the flow.</summary>
    public IpsecChannelResolution Resolution { get; }

    /// <summary>Whether IPsec SAs carry the connection in both directions.</summary>
    public bool IsProtected => Resolution.IsProtected;

    /// <summary>Whether key management named an authenticated peer for the channel.</summary>
    public bool IsVerified { get; }

    /// <summary>The IPsec channel as a ChannelInfo (issue 4's converter), or null when unprotected.</summary>
    public ChannelInfo? IpsecChannelInfo { get; }

    /// <summary>The connection's latch, or null when not latched.</summary>
    public IpsecLatchHandle? Latch { get; }

    /// <summary>Whether the handler ran TLS on the connection.</summary>
    public bool IsTls { get; private set; }

    /// <summary>The TLS version negotiated, or <see cref="SslProtocols.None"/> without TLS.</summary>
    public SslProtocols TlsProtocol { get; private set; }

    /// <summary>The ALPN protocol negotiated (e.g. h2), or null.</summary>
    public string? ApplicationProtocol { get; private set; }

    /// <summary>The TLS session as a ChannelInfo (the TLS converter), or null without TLS.</summary>
    public ChannelInfo? TlsChannelInfo { get; private set; }

    /// <summary>Whether a client certificate went out in the TLS handshake.</summary>
    public bool SentClientCertificate { get; private set; }

    /// <summary>The server certificate's SubjectPublicKeyInfo SHA-256, or null without TLS.</summary>
    public ReadOnlyMemory<byte>? ServerSpkiSha256 { get; private set; }

    internal void SetTls(SslStream stream, ChannelInfo? tlsChannelInfo, ReadOnlyMemory<byte>? serverSpki)
    {
        IsTls = true;
        TlsProtocol = stream.SslProtocol;
        ApplicationProtocol = stream.NegotiatedApplicationProtocol.Protocol.Length == 0 ? null : stream.NegotiatedApplicationProtocol.ToString();
        SentClientCertificate = stream.LocalCertificate is not null;
        TlsChannelInfo = tlsChannelInfo;
        ServerSpkiSha256 = serverSpki;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Flow}: {(IsProtected ? IsVerified ? "IPsec (verified)" : "IPsec (unverified)" : "no IPsec")}, " +
        $"{(IsTls ? $"TLS {TlsProtocol}{(ApplicationProtocol is null ? "" : " " + ApplicationProtocol)}" : "no TLS")}";
}
