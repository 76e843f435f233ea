using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Authentication.ExtendedProtection;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// tls-unique (RFC 5929 section 3) through the runtime's public <c>TransportContext.GetChannelBinding(ChannelBindingKind.Unique)</c>: the
/// first Finished message of the latest handshake. Defined for TLS 1.2 and earlier only (RFC 9266: never for
/// TLS 1.3, where the runtime still returns a 48-octet value that must not be used), and on TLS 1.2 only with extended
/// master secret: without it a man in the middle can give two sessions the same Finished messages (the triple
/// handshake attack, RFC 7627 section 1), so the value is not unique and must not be offered.
/// </summary>
internal static class TlsUniqueBinding
{
    // SEC_CHANNEL_BINDINGS: eight uint32 fields; the application data (the binding) is described by the last two.
    private const int HeaderLength = 32;
    private const int ApplicationDataLengthOffset = 24;
    private const int ApplicationDataOffsetOffset = 28;

    private static ReadOnlySpan<byte> Prefix => "tls-unique:"u8;

    /// <summary>The tls-unique value, or null with the reason when it is undefined or unavailable for this session.</summary>
    /// <exception cref="IpsecException">BadMessage when the runtime's structure is malformed.</exception>
    internal static byte[]? TryGet(SslStream stream, out string? reason)
    {
        var version = TlsWireVersion.Of(stream);
        if (version is 0 or >= TlsWireVersion.Tls13)
        {
            reason = version == TlsWireVersion.Tls13
                ? "tls-unique is undefined for TLS 1.3 (RFC 9266); use tls-exporter."
                : $"tls-unique is undefined for {stream.SslProtocol}.";
            return null;
        }

        // Fail closed: when the flag cannot be read (the exporter path does not work here), EMS is not known to be on.
        if (TlsKeyingMaterial.GetExtendedMasterSecret(stream) != true)
        {
            reason = "tls-unique is not unique on TLS 1.2 without extended master secret (RFC 7627: the triple handshake " +
                "attack gives two sessions the same Finished messages); enable extended master secret on the peer or use TLS 1.3 and tls-exporter.";
            return null;
        }

        using var binding = stream.TransportContext?.GetChannelBinding(ChannelBindingKind.Unique);
        if (binding is null || binding.IsInvalid)
        {
            reason = "The runtime returned no tls-unique value for this session.";
            return null;
        }

        reason = null;
        return Parse(binding);
    }

    private static unsafe byte[] Parse(System.Security.Authentication.ExtendedProtection.ChannelBinding binding)
    {
        var added = false;
        try
        {
            binding.DangerousAddRef(ref added);
            var all = new ReadOnlySpan<byte>((void*)binding.DangerousGetHandle(), binding.Size);
            if (all.Length < HeaderLength)
            {
                throw Malformed($"{all.Length} octets, shorter than its header");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(all[ApplicationDataLengthOffset..]);
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(all[ApplicationDataOffsetOffset..]);
            if (offset < HeaderLength || offset > (uint)all.Length || length > (uint)all.Length - offset)
            {
                throw Malformed($"application data of {length} octets at offset {offset} in {all.Length} octets");
            }

            // The application data is the GSS-API form "tls-unique:" + verify_data (RFC 5929 section 3); keep the value.
            var data = all.Slice((int)offset, (int)length);
            if (data.StartsWith(Prefix))
            {
                data = data[Prefix.Length..];
            }

            return ChannelInfo.SpecOf(ChannelAttributeType.TlsUnique).AllowsLength(data.Length)
                ? data.ToArray()
                : throw Malformed($"a Finished message of {data.Length} octets");
        }
        finally
        {
            if (added)
            {
                binding.DangerousRelease();
            }
        }
    }

    private static IpsecException Malformed(string what) =>
        new(IpsecError.BadMessage, $"The runtime's tls-unique channel binding structure is malformed: {what}.");
}
