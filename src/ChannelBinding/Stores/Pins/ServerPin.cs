using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// What a client remembers about one server authority: the server's TLS identity (SPKI SHA-256) and IPsec identity as
/// first seen, and the latest binding made with it. Immutable and shared (lookups return the cached instance); the
/// secret is reachable only through <see cref="CreateBindingRecord"/>, whose result the caller owns.
/// </summary>
public sealed class ServerPin
{
    private readonly ChannelBindingRecord _binding;

    internal ServerPin(ChannelBindingRecord binding, string authority, DateTimeOffset pinnedAt, DateTimeOffset updatedAt)
    {
        _binding = binding;
        Authority = authority;
        PinnedAt = pinnedAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The server authority, canonical host:port.</summary>
    public string Authority { get; }

    /// <summary>SHA-256 of the server certificate's SubjectPublicKeyInfo (32 octets).</summary>
    public ReadOnlyMemory<byte> ServerSpkiSha256 => _binding.ServerSpkiSha256;

    /// <summary>The server's IPsec identity at first contact.</summary>
    public IpsecIdentity ServerIpsecIdentity => _binding.ServerIpsecIdentity;

    /// <summary>Our own IPsec identity when the binding was made.</summary>
    public IpsecIdentity ClientIpsecIdentity => _binding.ClientIpsecIdentity;

    /// <summary>The binding's id.</summary>
    public BindingId BindingId => _binding.Id;

    /// <summary>The binding's protocol version.</summary>
    public BindingProtocolVersion BindingVersion => _binding.Version;

    /// <summary>When the binding was made.</summary>
    public DateTimeOffset BindingCreatedAt => _binding.CreatedAt;

    /// <summary>When the binding expires (the pin itself does not: identities stay pinned until removed).</summary>
    public DateTimeOffset BindingExpiresAt => _binding.ExpiresAt;

    /// <summary>When the server was first pinned.</summary>
    public DateTimeOffset PinnedAt { get; }

    /// <summary>When the pin's binding was last replaced.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Whether the binding has expired at <paramref name="now"/> (the identities stay pinned).</summary>
    public bool IsBindingExpiredAt(DateTimeOffset now) => _binding.IsExpiredAt(now);

    /// <summary>A copy of the binding with its own secret; the caller disposes it.</summary>
    public ChannelBindingRecord CreateBindingRecord() => ChannelBindingRecords.Copy(_binding);

    /// <summary>The SPKI hash as lower-case hex (the fingerprint mismatches and <c>cbb pins</c> show).</summary>
    public string SpkiFingerprint => Convert.ToHexStringLower(_binding.ServerSpkiSha256.Span);

    /// <summary>Authority, fingerprints, binding id and times; never the secret.</summary>
    public override string ToString() =>
        $"ServerPin {{ {Authority}, Spki = {SpkiFingerprint}, Ipsec = {ServerIpsecIdentity}, Binding = {BindingId}, " +
        $"PinnedAt = {PinnedAt:O}, BindingExpiresAt = {BindingExpiresAt:O} }}";

    internal ChannelBindingRecord Binding => _binding;
}
