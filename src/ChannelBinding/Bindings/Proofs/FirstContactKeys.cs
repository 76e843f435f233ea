using System.Buffers.Binary;
using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// The first-contact keys of one TLS session, derived from its exporter value E (label
/// <see cref="BindingLabels.Exporter"/>): PRK = HKDF-Extract(salt, E); the client's and the server's proof keys and the
/// binding secret are HKDF-Expand(PRK, label, 32) with their own labels. Held in one pinned buffer, zeroed on Dispose.
/// Each proof key is derived on its first use: a side that only makes or checks one proof pays for one expansion.
/// </summary>
internal sealed class FirstContactKeys : IDisposable
{
    private const int KeyLength = 32;

    // [0..32) PRK, [32..64) client proof key, [64..96) server proof key.
    private readonly byte[] _keys = GC.AllocateUninitializedArray<byte>(3 * KeyLength, pinned: true);
    private bool _clientKey;
    private bool _serverKey;

    /// <summary>Derives the keys; the caller keeps (and zeroes) <paramref name="exporter"/>.</summary>
    public FirstContactKeys(ReadOnlySpan<byte> exporter)
    {
        if (exporter.Length != KeyLength)
        {
            throw new ArgumentException($"The exporter value is {KeyLength} octets.", nameof(exporter));
        }

        var keys = _keys.AsSpan();
        HKDF.Extract(HashAlgorithmName.SHA256, exporter, BindingLabels.FirstContactSalt, keys[..KeyLength]);
    }

    /// <summary>
    /// Client proof = HMAC-SHA256(client key, 0x01 version || 0x01 type || covered || ipsec-sa-binding || [ipsec-end-point-sha256]).
    /// </summary>
    public void ClientProof(IpsecBindingValues covered, in IpsecBindingInputs values, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[3 + 2 * IpsecBindingInputs.ValueLength];
        var length = Prefix(data, BindingMessageType.ClientFirstContact, covered, values);
        HMACSHA256.HashData(Key(1, ref _clientKey, BindingLabels.ClientFirstContactProof), data[..length], proof);
    }

    /// <summary>
    /// Server proof = HMAC-SHA256(server key, 0x01 || 0x02 || covered || ipsec-sa-binding || [ipsec-end-point-sha256]
    /// || client proof (32) || binding id (16) || lifetime seconds (4, big-endian)).
    /// </summary>
    public void ServerProof(IpsecBindingValues covered, in IpsecBindingInputs values, ReadOnlySpan<byte> clientProof, BindingId id, uint lifetimeSeconds, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[3 + 2 * IpsecBindingInputs.ValueLength + BindingMessage.ProofLength + BindingId.Length + 4];
        var length = Prefix(data, BindingMessageType.ServerFirstContact, covered, values);
        clientProof.CopyTo(data[length..]);
        length += BindingMessage.ProofLength;
        id.Bytes.CopyTo(data[length..]);
        length += BindingId.Length;
        BinaryPrimitives.WriteUInt32BigEndian(data[length..], lifetimeSeconds);
        length += 4;
        HMACSHA256.HashData(Key(2, ref _serverKey, BindingLabels.ServerFirstContactProof), data[..length], proof);
    }

    /// <summary>The binding secret: HKDF-Expand(PRK, "cbb v1 binding secret" || binding id, 32).</summary>
    public BindingSecret DeriveSecret(BindingId id)
    {
        Span<byte> info = stackalloc byte[BindingLabels.BindingSecret.Length + BindingId.Length];
        BindingLabels.BindingSecret.CopyTo(info);
        id.Bytes.CopyTo(info[BindingLabels.BindingSecret.Length..]);
        Span<byte> secret = stackalloc byte[BindingSecret.Length];
        try
        {
            HKDF.Expand(HashAlgorithmName.SHA256, _keys.AsSpan(0, KeyLength), secret, info);
            return new BindingSecret(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_keys);
        _clientKey = _serverKey = false;
    }

    // The proof key in slot `slot`, expanded from the PRK the first time it is asked for.
    private ReadOnlySpan<byte> Key(int slot, ref bool derived, ReadOnlySpan<byte> label)
    {
        var key = _keys.AsSpan(slot * KeyLength, KeyLength);
        if (!derived)
        {
            HKDF.Expand(HashAlgorithmName.SHA256, _keys.AsSpan(0, KeyLength), key, label);
            derived = true;
        }

        return key;
    }

    private static int Prefix(Span<byte> data, BindingMessageType type, IpsecBindingValues covered, in IpsecBindingInputs values)
    {
        data[0] = (byte)BindingProtocolVersion.V1;
        data[1] = (byte)type;
        data[2] = (byte)covered;
        return 3 + values.WriteCovered(covered, data[3..]);
    }
}
