using System.Security.Cryptography;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// Who the IPsec layer says an end of a channel is: its IKE identity, how IKE authenticated it and the SHA-256 of its
/// IKE public key. An end that IKE did not authenticate (RFC 7619 NULL authentication, BTNS, no IKE at all) is
/// <see cref="Unauthenticated"/>: it carries no identity at all, never a made-up one.
/// </summary>
public sealed class IpsecIdentity : IEquatable<IpsecIdentity>
{
    /// <summary>The longest IKE identity accepted, in UTF-8 octets (as the ipsec-peer-id channel attribute).</summary>
    public const int MaxIkeIdLength = 1024;

    private readonly byte[] _publicKeySha256;

    /// <summary>An identity as IKE reported it.</summary>
    /// <param name="ikeId">The IKE identity (IDi/IDr as text), or null when there is none.</param>
    /// <param name="authenticationMethod">How IKE authenticated this end.</param>
    /// <param name="publicKeySha256">SHA-256 of the DER SubjectPublicKeyInfo of the IKE key: 32 octets, or empty when unknown.</param>
    /// <exception cref="ArgumentException">For a key hash that is neither empty nor 32 octets, an empty or over-long IKE id,
    /// or an IKE id or key together with an unauthenticated method.</exception>
    public IpsecIdentity(string? ikeId, IpsecAuthenticationMethod authenticationMethod, ReadOnlySpan<byte> publicKeySha256)
    {
        if (publicKeySha256.Length is not (0 or SHA256.HashSizeInBytes))
        {
            throw new ArgumentException($"A public key hash is {SHA256.HashSizeInBytes} octets or empty, not {publicKeySha256.Length}.", nameof(publicKeySha256));
        }

        if (ikeId is not null && (ikeId.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(ikeId) > MaxIkeIdLength))
        {
            throw new ArgumentException($"An IKE identity is 1 to {MaxIkeIdLength} UTF-8 octets (null when there is none).", nameof(ikeId));
        }

        if (!Authenticates(authenticationMethod) && (ikeId is not null || !publicKeySha256.IsEmpty))
        {
            throw new ArgumentException(
                $"An end authenticated by {authenticationMethod} has no identity: use IpsecIdentity.Unauthenticated.", nameof(authenticationMethod));
        }

        IkeId = ikeId;
        AuthenticationMethod = authenticationMethod;
        _publicKeySha256 = publicKeySha256.ToArray();
    }

    /// <summary>An end IKE did not authenticate (RFC 7619 NULL authentication): no IKE id, no key.</summary>
    public static IpsecIdentity Unauthenticated { get; } = new(null, IpsecAuthenticationMethod.Null, []);

    /// <summary>The IKE identity, or null when IKE named none.</summary>
    public string? IkeId { get; }

    /// <summary>How IKE authenticated this end.</summary>
    public IpsecAuthenticationMethod AuthenticationMethod { get; }

    /// <summary>SHA-256 of the IKE public key's DER SubjectPublicKeyInfo: 32 octets, or empty when unknown.</summary>
    public ReadOnlyMemory<byte> PublicKeySha256 => _publicKeySha256;

    /// <summary>Whether IKE authenticated this end (false for NULL authentication, BTNS and none).</summary>
    public bool IsAuthenticated => Authenticates(AuthenticationMethod);

    /// <summary>
    /// The peer's identity as the channel information records it (ipsec-peer-id, ipsec-auth-method and the SHA-256 of
    /// ipsec-peer-public-key); <see cref="Unauthenticated"/> when IKE did not authenticate the peer or named nobody.
    /// </summary>
    public static IpsecIdentity FromPeer(ChannelInfo channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var method = channel.TryGet(ChannelAttributeType.IpsecAuthenticationMethod, out var m)
            ? (IpsecAuthenticationMethod)m.Span[0]
            : IpsecAuthenticationMethod.None;
        if (!Authenticates(method))
        {
            return Unauthenticated;
        }

        var keyHash = channel.TryGet(ChannelAttributeType.IpsecPeerPublicKey, out var key) ? SHA256.HashData(key.Span) : [];
        return new IpsecIdentity(channel.IpsecPeerId, method, keyHash);
    }

    /// <summary>Compares every field (identities are not secret).</summary>
    public bool Equals(IpsecIdentity? other) =>
        other is not null
        && string.Equals(IkeId, other.IkeId, StringComparison.Ordinal)
        && AuthenticationMethod == other.AuthenticationMethod
        && _publicKeySha256.AsSpan().SequenceEqual(other._publicKeySha256);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IpsecIdentity);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IkeId, AuthenticationMethod, _publicKeySha256.Length);

    /// <summary>The identity for logs: IKE id, method and the key hash's first 8 octets in hex.</summary>
    public override string ToString() => IsAuthenticated
        ? $"IpsecIdentity {{ IkeId = {IkeId ?? "(none)"}, {AuthenticationMethod}, Key = {KeyText()} }}"
        : $"IpsecIdentity {{ unauthenticated ({AuthenticationMethod}) }}";

    private string KeyText() => _publicKeySha256.Length == 0 ? "(unknown)" : Convert.ToHexStringLower(_publicKeySha256.AsSpan(0, 8)) + "...";

    private static bool Authenticates(IpsecAuthenticationMethod method) =>
        method is not (IpsecAuthenticationMethod.None or IpsecAuthenticationMethod.Null or IpsecAuthenticationMethod.Btns);
}
