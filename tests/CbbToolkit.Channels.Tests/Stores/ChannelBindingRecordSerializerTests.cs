using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using CsCheck;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores;

public sealed class ChannelBindingRecordSerializerTests
{
    [Fact]
    public void ServerRecord_RoundTrips_EveryField()
    {
        using var record = StoreRecords.Server();
        using var back = ChannelBindingRecordSerializer.Deserialize(ChannelBindingRecordSerializer.Serialize(record));
        AssertSame(record, back);
    }

    [Fact]
    public void ClientRecord_WithUnauthenticatedPeer_RoundTrips()
    {
        using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client,
            new BindingSecret(RandomNumberGenerator.GetBytes(32)), IpsecIdentity.Unauthenticated, IpsecIdentity.Unauthenticated,
            null, SHA256.HashData("spki"u8), "[2001:db8::1]:8443", StoreRecords.Start, StoreRecords.Start.AddMinutes(5));
        using var back = ChannelBindingRecordSerializer.Deserialize(ChannelBindingRecordSerializer.Serialize(record));
        AssertSame(record, back);
        Assert.False(back.ServerIpsecIdentity.IsAuthenticated);
    }

    [Fact]
    public void EveryTruncation_IsATypedError()
    {
        using var record = StoreRecords.Server();
        var entry = ChannelBindingRecordSerializer.Serialize(record);
        for (var length = 0; length < entry.Length; length++)
        {
            var e = Assert.Throws<ChannelBindingFormatException>(() => ChannelBindingRecordSerializer.Deserialize(entry.AsSpan(0, length)).Dispose());
            Assert.Equal(IpsecError.BadMessage, e.Error);
        }
    }

    [Fact]
    public void TrailingOctet_IsRefused()
    {
        using var record = StoreRecords.Server();
        var entry = ChannelBindingRecordSerializer.Serialize(record);
        var e = Assert.Throws<ChannelBindingFormatException>(() => ChannelBindingRecordSerializer.Deserialize([.. entry, 0]).Dispose());
        Assert.Equal(entry.Length, e.Offset);
    }

    [Theory]
    [InlineData(0, 0x00, 0)]   // magic
    [InlineData(4, 0x02, 4)]   // format version 2
    [InlineData(5, 0x00, 5)]   // protocol version 0 (no downgrade to an absent version)
    [InlineData(6, 0x03, 6)]   // role 3
    public void BadHeaderFields_AreRefusedAtTheirOffset(int offset, byte value, long expectedOffset)
    {
        using var record = StoreRecords.Server();
        var entry = ChannelBindingRecordSerializer.Serialize(record);
        entry[offset] = value;
        var e = Assert.Throws<ChannelBindingFormatException>(() => ChannelBindingRecordSerializer.Deserialize(entry).Dispose());
        Assert.Equal(expectedOffset, e.Offset);
    }

    [Fact]
    public void ExpiryBeforeCreation_IsRefused()
    {
        using var record = StoreRecords.Server();
        var entry = ChannelBindingRecordSerializer.Serialize(record);
        // created at 55..62, expires at 63..70: write the creation time into the expiry.
        entry.AsSpan(55, 8).CopyTo(entry.AsSpan(63, 8));
        Assert.Throws<ChannelBindingFormatException>(() => ChannelBindingRecordSerializer.Deserialize(entry).Dispose());
    }

    [Fact]
    public void InvalidUtf8_IsRefused()
    {
        using var record = StoreRecords.Server();
        var entry = ChannelBindingRecordSerializer.Serialize(record);
        var at = entry.AsSpan().IndexOf("alice"u8);
        entry[at] = 0xff;
        var e = Assert.Throws<ChannelBindingFormatException>(() => ChannelBindingRecordSerializer.Deserialize(entry).Dispose());
        Assert.Contains("UTF-8", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_RandomBytes_OnlyTypedErrors()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            try
            {
                ChannelBindingRecordSerializer.Deserialize(bytes).Dispose();
            }
            catch (ChannelBindingFormatException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Fuzz_MutatedEntries_ParseCanonicallyOrFailTyped()
    {
        using var record = StoreRecords.Server();
        var entry = ChannelBindingRecordSerializer.Serialize(record);
        Gen.Select(Gen.Int[0, entry.Length - 1].Array[1, 4], Gen.Byte.Array[4]).Sample((positions, values) =>
        {
            var mutated = (byte[])entry.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                mutated[positions[i]] = values[i];
            }

            ChannelBindingRecord parsed;
            try
            {
                parsed = ChannelBindingRecordSerializer.Deserialize(mutated);
            }
            catch (ChannelBindingFormatException)
            {
                return;
            }

            // What parses is a valid record whose canonical form is exactly the input (one form per record).
            using (parsed)
            {
                Assert.Equal(mutated, ChannelBindingRecordSerializer.Serialize(parsed));
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Fuzz_GeneratedRecords_RoundTrip()
    {
        var text = Gen.String[Gen.Char, 0, 40];
        Gen.Select(text, text, Gen.Select(text, text).Array[0, 5], Gen.Int[1, 100_000]).Sample((name, scheme, claims, minutes) =>
        {
            var principal = new BoundPrincipal(name.Length % 3 == 0 ? null : name, scheme, claims.Select(c => new BoundClaim(c.Item1, c.Item2)));
            using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Server,
                new BindingSecret(RandomNumberGenerator.GetBytes(32)), StoreRecords.ClientIdentity, StoreRecords.ServerIdentity,
                principal, [], null, StoreRecords.Start, StoreRecords.Start.AddMinutes(minutes));
            byte[] entry;
            try
            {
                entry = ChannelBindingRecordSerializer.Serialize(record);
            }
            catch (ArgumentException) when (name.Any(char.IsSurrogate) || scheme.Any(char.IsSurrogate) || claims.Any(c => (c.Item1 + c.Item2).Any(char.IsSurrogate)))
            {
                return; // lone surrogates have no UTF-8 form
            }

            using var back = ChannelBindingRecordSerializer.Deserialize(entry);
            AssertSame(record, back);
        }, iter: 2_000);
    }

    [Fact]
    public void Serialize_RefusesTooManyClaims()
    {
        using var record = StoreRecords.Server(principal: new BoundPrincipal("a", "b",
            Enumerable.Range(0, ChannelBindingRecordSerializer.MaxClaims + 1).Select(i => new BoundClaim("c", "v"))));
        Assert.Throws<ArgumentException>(() => ChannelBindingRecordSerializer.Serialize(record));
    }

    internal static void AssertSame(ChannelBindingRecord expected, ChannelBindingRecord actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Role, actual.Role);
        Assert.True(expected.Secret.Equals(actual.Secret));
        Assert.Equal(expected.ClientIpsecIdentity, actual.ClientIpsecIdentity);
        Assert.Equal(expected.ServerIpsecIdentity, actual.ServerIpsecIdentity);
        Assert.Equal(expected.Principal, actual.Principal);
        Assert.Equal(expected.ServerSpkiSha256.ToArray(), actual.ServerSpkiSha256.ToArray());
        Assert.Equal(expected.ServerAuthority, actual.ServerAuthority);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
    }
}
