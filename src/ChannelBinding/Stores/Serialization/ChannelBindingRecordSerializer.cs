using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The stores' canonical binary form of a <see cref="ChannelBindingRecord"/> (docs/pin-store.md, "Entry format"): a
/// magic, a format version, then every field in a fixed order, big-endian, with no optional trailing data. The
/// parser is strict: any unknown version, out-of-range length or enum value, invalid UTF-8, trailing octet or value
/// the record itself refuses is a <see cref="ChannelBindingFormatException"/>, never a partial record.
/// The serialized form holds the secret in clear: stores protect it (Data Protection, or an owner-only file).
/// </summary>
public static class ChannelBindingRecordSerializer
{
    /// <summary>The format version this code writes and the only one it reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The longest entry accepted, in octets.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The most claims a stored principal keeps.</summary>
    public const int MaxClaims = 256;

    /// <summary>The longest principal name, scheme, claim type or claim value, in UTF-8 octets.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The longest server authority, in UTF-8 octets.</summary>
    public const int MaxAuthorityLength = 1024;

    private static ReadOnlySpan<byte> Magic => "CBBR"u8;

    /// <summary>The record's serialized form (secret included: the caller protects and zeroes it).</summary>
    /// <exception cref="ArgumentException">When a text field or the claim list is longer than a stored binding keeps.</exception>
    /// <exception cref="ObjectDisposedException">When the record's secret has been disposed.</exception>
    public static byte[] Serialize(ChannelBindingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = new BindingRecordWriter(256);
        writer.WriteBytes(Magic);
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)record.Version);
        writer.WriteByte((byte)record.Role);
        writer.WriteBytes(record.Id.Bytes);
        Span<byte> secret = stackalloc byte[BindingSecret.Length];
        record.Secret.CopyTo(secret);
        writer.WriteBytes(secret);
        CryptographicOperations.ZeroMemory(secret);
        writer.WriteInt64(record.CreatedAt.UtcTicks);
        writer.WriteInt64(record.ExpiresAt.UtcTicks);
        WriteIdentity(writer, record.ClientIpsecIdentity);
        WriteIdentity(writer, record.ServerIpsecIdentity);
        writer.WriteHashOrEmpty(record.ServerSpkiSha256.Span);
        writer.WriteOptionalString(record.ServerAuthority, MaxAuthorityLength, "The server authority");
        WritePrincipal(writer, record.Principal);
        if (writer.Length > MaxLength)
        {
            writer.ToArrayAndClear();
            throw new ArgumentException($"The binding record is {writer.Length} octets serialized, more than {MaxLength}.", nameof(record));
        }

        return writer.ToArrayAndClear();
    }

    /// <summary>Parses a serialized record; the caller owns (and disposes) the result.</summary>
    /// <exception cref="ChannelBindingFormatException">For anything but one complete, valid entry.</exception>
    public static ChannelBindingRecord Deserialize(ReadOnlySpan<byte> entry)
    {
        if (entry.Length > MaxLength)
        {
            throw new ChannelBindingFormatException(0, $"the entry is {entry.Length} octets, more than {MaxLength}");
        }

        var reader = new BindingRecordReader(entry);
        if (!reader.ReadBytes(Magic.Length, "The magic").SequenceEqual(Magic))
        {
            throw reader.Fail("not a channel binding entry (bad magic)", 0);
        }

        var format = reader.ReadByte("The format version");
        if (format != FormatVersion)
        {
            throw reader.Fail($"format version {format} is not supported (only {FormatVersion})", reader.Offset - 1);
        }

        var version = (BindingProtocolVersion)reader.ReadByte("The protocol version");
        if (!Enum.IsDefined(version))
        {
            throw reader.Fail($"unknown binding protocol version {(byte)version}", reader.Offset - 1);
        }

        var role = (ChannelRole)reader.ReadByte("The role");
        if (role is not (ChannelRole.Client or ChannelRole.Server))
        {
            throw reader.Fail($"unknown role {(byte)role}", reader.Offset - 1);
        }

        var id = BindingId.FromBytes(reader.ReadBytes(BindingId.Length, "The id"));
        var secret = new BindingSecret(reader.ReadBytes(BindingSecret.Length, "The secret"));
        try
        {
            var created = ReadTime(ref reader, "The creation time");
            var expires = ReadTime(ref reader, "The expiry time");
            var client = ReadIdentity(ref reader, "The client IPsec identity");
            var server = ReadIdentity(ref reader, "The server IPsec identity");
            var spki = reader.ReadHashOrEmpty("The server SPKI hash");
            var authority = reader.ReadOptionalString("The server authority", MaxAuthorityLength);
            var principal = ReadPrincipal(ref reader);
            if (reader.Remaining != 0)
            {
                throw reader.Fail($"{reader.Remaining} octets follow the entry");
            }

            try
            {
                return new ChannelBindingRecord(id, version, role, secret, client, server, principal, spki, authority, created, expires);
            }
            catch (ArgumentException e)
            {
                throw new ChannelBindingFormatException(-1, "the fields do not form a valid binding record", e);
            }
        }
        catch
        {
            secret.Dispose();
            throw;
        }
    }

    private static void WriteIdentity(BindingRecordWriter writer, IpsecIdentity identity)
    {
        writer.WriteByte((byte)identity.AuthenticationMethod);
        writer.WriteOptionalString(identity.IkeId, IpsecIdentity.MaxIkeIdLength, "The IKE identity");
        writer.WriteHashOrEmpty(identity.PublicKeySha256.Span);
    }

    private static IpsecIdentity ReadIdentity(ref BindingRecordReader reader, string field)
    {
        var start = reader.Offset;
        var method = (IpsecAuthenticationMethod)reader.ReadByte(field);
        if (!Enum.IsDefined(method))
        {
            throw reader.Fail($"{field} has unknown authentication method {(byte)method}", start);
        }

        var ikeId = reader.ReadOptionalString(field, IpsecIdentity.MaxIkeIdLength);
        var key = reader.ReadHashOrEmpty(field);
        try
        {
            return new IpsecIdentity(ikeId, method, key);
        }
        catch (ArgumentException e)
        {
            throw new ChannelBindingFormatException(start, $"{field} is not a valid identity", e);
        }
    }

    private static void WritePrincipal(BindingRecordWriter writer, BoundPrincipal? principal)
    {
        writer.WriteByte(principal is null ? (byte)0 : (byte)1);
        if (principal is null)
        {
            return;
        }

        if (principal.Claims.Count > MaxClaims)
        {
            throw new ArgumentException($"The principal has {principal.Claims.Count} claims, more than the {MaxClaims} a stored binding keeps.");
        }

        writer.WriteOptionalString(principal.Name, MaxTextLength, "The principal name");
        writer.WriteOptionalString(principal.AuthenticationType, MaxTextLength, "The principal's authentication type");
        writer.WriteUInt16((ushort)principal.Claims.Count);
        foreach (var claim in principal.Claims)
        {
            writer.WriteString(claim.Type, MaxTextLength, "A claim type");
            writer.WriteString(claim.Value, MaxTextLength, "A claim value");
        }
    }

    private static BoundPrincipal? ReadPrincipal(ref BindingRecordReader reader)
    {
        if (!reader.ReadPresence("The principal"))
        {
            return null;
        }

        // Principals come from ClaimsIdentity, which allows empty texts; null and empty stay distinct.
        var name = reader.ReadOptionalString("The principal name", MaxTextLength, allowEmpty: true);
        var scheme = reader.ReadOptionalString("The principal's authentication type", MaxTextLength, allowEmpty: true);
        var countAt = reader.Offset;
        var count = reader.ReadUInt16("The claim count");
        if (count > MaxClaims)
        {
            throw reader.Fail($"{count} claims, more than {MaxClaims}", countAt);
        }

        var claims = new BoundClaim[count];
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadString("A claim type", MaxTextLength, allowEmpty: true);
            var value = reader.ReadString("A claim value", MaxTextLength, allowEmpty: true);
            claims[i] = new BoundClaim(type, value);
        }

        return new BoundPrincipal(name, scheme, claims);
    }

    private static DateTimeOffset ReadTime(ref BindingRecordReader reader, string field)
    {
        var start = reader.Offset;
        var ticks = reader.ReadInt64(field);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw reader.Fail($"{field} is out of range", start);
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
