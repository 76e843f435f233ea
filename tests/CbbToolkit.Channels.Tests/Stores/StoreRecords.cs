using System.Security.Claims;
using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tests.Stores;

/// <summary>Records for the store tests: random ids and secrets, fixed identities.</summary>
internal static class StoreRecords
{
    public static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    public static IpsecIdentity ServerIdentity { get; } = new("CN=server.test", IpsecAuthenticationMethod.PkixTrusted, SHA256.HashData("server key"u8));

    public static IpsecIdentity ClientIdentity { get; } = new("client@test", IpsecAuthenticationMethod.RawPublicKey, SHA256.HashData("client key"u8));

    public static ChannelBindingRecord Server(DateTimeOffset? created = null, TimeSpan? lifetime = null, byte[]? secret = null, BoundPrincipal? principal = null)
    {
        var at = created ?? Start;
        return new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Server,
            new BindingSecret(secret ?? RandomNumberGenerator.GetBytes(32)), ClientIdentity, ServerIdentity,
            principal ?? new BoundPrincipal("alice", "Certificate", [new BoundClaim(ClaimTypes.Name, "alice"), new BoundClaim("role", "admin")]),
            [], null, at, at + (lifetime ?? TimeSpan.FromHours(1)));
    }

    public static ChannelBindingRecord Client(string authority, byte[]? spki = null, IpsecIdentity? server = null, byte[]? secret = null, DateTimeOffset? created = null)
    {
        var at = created ?? Start;
        return new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client,
            new BindingSecret(secret ?? RandomNumberGenerator.GetBytes(32)), IpsecIdentity.Unauthenticated, server ?? ServerIdentity,
            null, spki ?? SHA256.HashData("server spki"u8), authority, at, at + TimeSpan.FromDays(1));
    }

    public static byte[] SecretOf(ChannelBindingRecord record)
    {
        var bytes = new byte[32];
        record.Secret.CopyTo(bytes);
        return bytes;
    }
}
