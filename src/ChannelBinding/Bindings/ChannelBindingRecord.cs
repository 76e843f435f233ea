using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Proofs;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// The result of a successful first-contact binding exchange, as each end keeps it (the client in its pin store, the
/// server in its binding store): which binding (<see cref="Id"/>, <see cref="Version"/>), its secret, both ends' IPsec
/// identities, what the TLS connection authenticated (the client's principal on the server, the server's TLS identity
/// on the client) and its lifetime. Owns <see cref="Secret"/> and the later-connection proof keys derived from it once
/// (on the first resume): disposing the record zeroes both. Safe to share between concurrent connections.
/// </summary>
public sealed class ChannelBindingRecord : IDisposable
{
    private readonly Lock _keysLock = new();
    private ResumeKeys? _resumeKeys;
    private bool _disposed;

    /// <summary>A binding record; the record takes ownership of <paramref name="secret"/>.</summary>
    /// <param name="id">The binding's id (never the default value).</param>
    /// <param name="version">The protocol version that produced it.</param>
    /// <param name="role">Which end keeps this record.</param>
    /// <param name="secret">The binding secret (owned by the record from now on).</param>
    /// <param name="clientIpsecIdentity">The client's IPsec identity at first contact.</param>
    /// <param name="serverIpsecIdentity">The server's IPsec identity at first contact.</param>
    /// <param name="principal">Server side: the application principal of the TLS connection, or null when none authenticated.
    /// Client side: null.</param>
    /// <param name="serverSpkiSha256">Client side: SHA-256 of the server certificate's SubjectPublicKeyInfo (32 octets).
    /// Server side: empty, or its own key's hash.</param>
    /// <param name="serverAuthority">Client side: the server authority "host:port" the client asked for. Server side: null.</param>
    /// <param name="createdAt">When the exchange completed.</param>
    /// <param name="expiresAt">When the binding stops authenticating anything; after <paramref name="createdAt"/>.</param>
    /// <exception cref="ArgumentException">When a value does not fit the role or the lifetime is empty.</exception>
    public ChannelBindingRecord(
        BindingId id,
        BindingProtocolVersion version,
        ChannelRole role,
        BindingSecret secret,
        IpsecIdentity clientIpsecIdentity,
        IpsecIdentity serverIpsecIdentity,
        BoundPrincipal? principal,
        ReadOnlySpan<byte> serverSpkiSha256,
        string? serverAuthority,
        DateTimeOffset createdAt,
        DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(clientIpsecIdentity);
        ArgumentNullException.ThrowIfNull(serverIpsecIdentity);
        if (id.IsEmpty)
        {
            throw new ArgumentException("A binding needs an id.", nameof(id));
        }

        if (!Enum.IsDefined(version))
        {
            throw new ArgumentException($"Unknown binding protocol version {(byte)version}.", nameof(version));
        }

        if (serverSpkiSha256.Length is not (0 or SHA256.HashSizeInBytes))
        {
            throw new ArgumentException($"The server SPKI hash is {SHA256.HashSizeInBytes} octets or empty.", nameof(serverSpkiSha256));
        }

        switch (role)
        {
            case ChannelRole.Client when serverSpkiSha256.IsEmpty || string.IsNullOrEmpty(serverAuthority) || principal is not null:
                throw new ArgumentException("A client's binding names the server's TLS identity and authority and no principal.", nameof(role));
            case ChannelRole.Server when serverAuthority is not null:
                throw new ArgumentException("A server's binding has no server authority.", nameof(serverAuthority));
            case not (ChannelRole.Client or ChannelRole.Server):
                throw new ArgumentException($"Unknown role {role}.", nameof(role));
        }

        if (expiresAt <= createdAt)
        {
            throw new ArgumentException("A binding must expire after it was created.", nameof(expiresAt));
        }

        Id = id;
        Version = version;
        Role = role;
        Secret = secret;
        ClientIpsecIdentity = clientIpsecIdentity;
        ServerIpsecIdentity = serverIpsecIdentity;
        Principal = principal;
        ServerSpkiSha256 = serverSpkiSha256.ToArray();
        ServerAuthority = serverAuthority;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The binding's id (what a later connection names; not a secret).</summary>
    public BindingId Id { get; }

    /// <summary>The protocol version that produced the binding.</summary>
    public BindingProtocolVersion Version { get; }

    /// <summary>Which end keeps this record.</summary>
    public ChannelRole Role { get; }

    /// <summary>The binding secret (only its holder can prove the binding).</summary>
    public BindingSecret Secret { get; }

    /// <summary>The client's IPsec identity at first contact.</summary>
    public IpsecIdentity ClientIpsecIdentity { get; }

    /// <summary>The server's IPsec identity at first contact.</summary>
    public IpsecIdentity ServerIpsecIdentity { get; }

    /// <summary>Server side: the principal bound to the client, or null. Client side: null.</summary>
    public BoundPrincipal? Principal { get; }

    /// <summary>Client side: SHA-256 of the server's SubjectPublicKeyInfo (32 octets); server side: empty or its own.</summary>
    public ReadOnlyMemory<byte> ServerSpkiSha256 { get; }

    /// <summary>Client side: the server authority "host:port"; server side: null.</summary>
    public string? ServerAuthority { get; }

    /// <summary>When the first-contact exchange completed.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the binding stops authenticating anything.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Whether the binding has expired at <paramref name="now"/> (expiry is inclusive: at ExpiresAt it is expired).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Everything but the secret, which shows as [redacted].</summary>
    public override string ToString() =>
        $"ChannelBindingRecord {{ Id = {Id}, {Version}, {Role}, Client = {ClientIpsecIdentity}, Server = {ServerIpsecIdentity}, " +
        $"Principal = {(Principal?.ToString() ?? "(none)")}, ServerAuthority = {ServerAuthority ?? "(none)"}, " +
        $"ServerSpki = {(ServerSpkiSha256.IsEmpty ? "(none)" : Convert.ToHexStringLower(ServerSpkiSha256.Span[..8]) + "...")}, " +
        $"CreatedAt = {CreatedAt:O}, ExpiresAt = {ExpiresAt:O}, Secret = [redacted] }}";

    /// <summary>Zeroes the secret and the proof keys derived from it; a resume over a disposed record throws.</summary>
    public void Dispose()
    {
        using (_keysLock.EnterScope())
        {
            _disposed = true;
            _resumeKeys?.Dispose();
            Volatile.Write(ref _resumeKeys, null);
        }

        Secret.Dispose();
    }

    // The binding's later-connection keys: a pure function of the secret, derived on the first resume and kept.
    internal ResumeKeys ResumeKeys
    {
        get
        {
            var keys = Volatile.Read(ref _resumeKeys);
            if (keys is not null)
            {
                return keys;
            }

            using (_keysLock.EnterScope())
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _resumeKeys ??= new ResumeKeys(Secret);
            }
        }
    }
}
