using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.Channels;
using CbbToolkit.Http.Connections;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Http;

/// <summary>What carried one connection the handler opened: the IPsec channel (or why there was none) and TLS.</summary>
public sealed class IpsecConnectionInfo
{
    private readonly IpsecPolicy? _policy;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private SslStream? _ssl;
    private TlsSnapshot? _tls;

    internal IpsecConnectionInfo(string authority, IpsecChannelResolution resolution, bool isVerified, ChannelInfo? ipsecChannelInfo, IpsecLatchHandle? latch,
        IpsecPolicy? policy, TimeProvider timeProvider)
    {
        Authority = authority;
        Resolution = resolution;
        IsVerified = isVerified;
        IpsecChannelInfo = ipsecChannelInfo;
        Latch = latch;
        _policy = policy;
        _timeProvider = timeProvider;
    }

    /// <summary>The authority (host:port) the connection was opened for; the key of its pin.</summary>
    public string Authority { get; }

    /// <summary>What the pin store said about the server's identity; <see cref="IpsecPinState.None"/> without a store or TLS.</summary>
    public IpsecPinState Pin { get; internal set; }

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

    /// <summary>Whether the connection runs TLS (https).</summary>
    public bool IsTls => _ssl is not null;

    /// <summary>The TLS version negotiated, or <see cref="SslProtocols.None"/> without TLS.</summary>
    public SslProtocols TlsProtocol => Tls?.Protocol ?? SslProtocols.None;

    /// <summary>The ALPN protocol negotiated (h2, http/1.1), or null.</summary>
    public string? ApplicationProtocol => Tls?.ApplicationProtocol;

    /// <summary>The TLS session as a ChannelInfo (the TLS converter), or null without TLS or when it could not be made.</summary>
    public ChannelInfo? TlsChannelInfo => Tls?.ChannelInfo;

    /// <summary>Whether a client certificate went out in the TLS handshake.</summary>
    public bool SentClientCertificate => Tls?.SentClientCertificate ?? false;

    /// <summary>The server certificate's SubjectPublicKeyInfo SHA-256, or null without TLS.</summary>
    public ReadOnlyMemory<byte>? ServerSpkiSha256 => Tls?.ServerSpkiSha256;

    // Read once the handshake is over (SocketsHttpHandler sends no request before), then kept: the stream may be gone later.
    private TlsSnapshot? Tls
    {
        get
        {
            if (_ssl is null)
            {
                return null;
            }

            lock (_gate)
            {
                // A handshake that failed leaves nothing to read (and nothing to describe).
                return _tls ??= _ssl.IsAuthenticated ? TlsSnapshot.Take(_ssl, _policy ?? IpsecPolicy.Default, _timeProvider) : null;
            }
        }
    }

    internal void AttachTls(SslStream stream) => Interlocked.CompareExchange(ref _ssl, stream, null);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Flow}: {(IsProtected ? IsVerified ? "IPsec (verified)" : "IPsec (unverified)" : "no IPsec")}, " +
        $"{(IsTls ? $"TLS {TlsProtocol}{(ApplicationProtocol is null ? "" : " " + ApplicationProtocol)}" : "no TLS")}";
}
