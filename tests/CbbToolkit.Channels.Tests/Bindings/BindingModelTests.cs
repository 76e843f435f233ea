using System.Security.Claims;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings;

public sealed class BindingModelTests
{
    private static readonly byte[] s_secretBytes = Enumerable.Range(0xa0, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Record_ToString_NeverShowsTheSecret()
    {
        using var record = NewRecord(ChannelRole.Server);
        var text = record.ToString();
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        Assert.Contains(record.Id.ToString(), text, StringComparison.Ordinal);
        AssertNoSecret(text);
        AssertNoSecret(record.Secret.ToString());
    }

    [Fact]
    public void Principal_ToString_ShowsClaimCountNotValues()
    {
        var principal = new BoundPrincipal("alice", "Certificate", [new BoundClaim(ClaimTypes.Email, "alice@example.org")]);
        Assert.DoesNotContain("alice@example.org", principal.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.org", principal.Claims[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("Claims = 1", principal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_Dispose_ZeroesAndRefusesReads()
    {
        var secret = new BindingSecret(s_secretBytes);
        var copy = new byte[32];
        secret.CopyTo(copy);
        Assert.Equal(s_secretBytes, copy);
        secret.Dispose();
        Assert.True(secret.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => secret.CopyTo(copy));
        Assert.Equal("BindingSecret(disposed)", secret.ToString());
    }

    [Fact]
    public void Secret_Equality_ByValue()
    {
        using var a = new BindingSecret(s_secretBytes);
        using var b = a.Clone();
        var other = (byte[])s_secretBytes.Clone();
        other[31] ^= 1;
        using var c = new BindingSecret(other);
        Assert.True(a.Equals(b));
        Assert.False(a.Equals(c));
        Assert.Equal(a.GetHashCode(), c.GetHashCode()); // the hash never depends on the value
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Secret_WrongLength_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => new BindingSecret(new byte[length]));

    [Fact]
    public void BindingId_RoundTripsAsBase64UrlWithoutPadding()
    {
        var id = BindingId.NewId();
        var text = id.ToString();
        Assert.Equal(BindingId.TextLength, text.Length);
        Assert.DoesNotContain('=', text);
        Assert.Equal(id, BindingId.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")] // non-zero trailing bits: not the canonical form of any id
    [InlineData("AAAAAAAAAAAAAAAAAAAAA")]
    public void BindingId_NonCanonicalText_Refused(string text) => Assert.False(BindingId.TryParse(text, out _));

    [Fact]
    public void Identity_Unauthenticated_CarriesNoIdentity()
    {
        Assert.False(IpsecIdentity.Unauthenticated.IsAuthenticated);
        Assert.Null(IpsecIdentity.Unauthenticated.IkeId);
        Assert.True(IpsecIdentity.Unauthenticated.PublicKeySha256.IsEmpty);
        Assert.Throws<ArgumentException>(() => new IpsecIdentity("made-up", IpsecAuthenticationMethod.Null, []));
    }

    [Fact]
    public void Identity_FromPeer_HashesThePublicKey()
    {
        byte[] key = [0x30, 0x03, 0x02, 0x01, 0x05];
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.IpsecPeerId, "CN=peer"u8)
            .With(ChannelAttributeType.IpsecAuthenticationMethod, [(byte)IpsecAuthenticationMethod.RawPublicKey])
            .With(ChannelAttributeType.IpsecPeerPublicKey, key);
        var identity = IpsecIdentity.FromPeer(info);
        Assert.Equal("CN=peer", identity.IkeId);
        Assert.Equal(SHA256.HashData(key), identity.PublicKeySha256.ToArray());
        Assert.Same(IpsecIdentity.Unauthenticated, IpsecIdentity.FromPeer(ChannelInfo.Empty));
    }

    [Fact]
    public void Record_ClientRoleNeedsServerTlsIdentity()
    {
        Assert.Throws<ArgumentException>(() => new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client,
            new BindingSecret(s_secretBytes), IpsecIdentity.Unauthenticated, IpsecIdentity.Unauthenticated, null, [], null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1)));
        using var record = NewRecord(ChannelRole.Client);
        Assert.False(record.IsExpiredAt(record.CreatedAt));
        Assert.True(record.IsExpiredAt(record.ExpiresAt));
    }

    [Fact]
    public void Record_Dispose_ZeroesItsSecret()
    {
        var record = NewRecord(ChannelRole.Server);
        record.Dispose();
        Assert.True(record.Secret.IsDisposed);
    }

    private static ChannelBindingRecord NewRecord(ChannelRole role) => new(
        BindingId.NewId(), BindingProtocolVersion.V1, role, new BindingSecret(s_secretBytes),
        new IpsecIdentity("client.example", IpsecAuthenticationMethod.RawPublicKey, SHA256.HashData("c"u8)),
        IpsecIdentity.Unauthenticated,
        role == ChannelRole.Server ? new BoundPrincipal("CN=client", "Certificate", []) : null,
        role == ChannelRole.Client ? SHA256.HashData("server"u8) : [],
        role == ChannelRole.Client ? "server.example:443" : null,
        DateTimeOffset.UnixEpoch.AddDays(20000), DateTimeOffset.UnixEpoch.AddDays(20001));

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(Convert.ToHexString(s_secretBytes), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(s_secretBytes.AsSpan(0, 4)), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(s_secretBytes)[..8], text, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Buffers.Text.Base64Url.EncodeToString(s_secretBytes)[..8], text, StringComparison.Ordinal);
    }
}
