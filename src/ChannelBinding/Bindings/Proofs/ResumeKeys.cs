using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// The later-connection keys of one binding: PRK = HKDF-Extract("CBB-IPsec-Binding-v1 resume", binding secret); the
/// client's and the server's proof keys are HKDF-Expand(PRK, label, 32). Pinned, zeroed on Dispose. Each proof key is
/// derived on its first use: a side that only makes or checks one proof pays for one expansion.
/// </summary>
internal sealed class ResumeKeys : IDisposable
{
    private const int KeyLength = 32;
    private const int TranscriptLength = 2 + BindingId.Length + BindingMessage.NonceLength + IpsecBindingInputs.ValueLength + FlowEncoding.Length;

    // [0..32) PRK, [32..64) client proof key, [64..96) server proof key.
    private readonly byte[] _keys = GC.AllocateUninitializedArray<byte>(3 * KeyLength, pinned: true);
    private bool _clientKey;
    private bool _serverKey;

    public ResumeKeys(BindingSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        HKDF.Extract(HashAlgorithmName.SHA256, secret.Span, BindingLabels.ResumeSalt, _keys.AsSpan(0, KeyLength));
    }

    /// <summary>
    /// Client proof = HMAC-SHA256(client key, 0x01 || 0x05 || binding id (16) || nonce (32) || ipsec-sa-binding (32) || 5-tuple (37)).
    /// </summary>
    public void ClientProof(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[TranscriptLength];
        Transcript(BindingMessageType.ClientResume, id, nonce, saBinding, flow, data);
        HMACSHA256.HashData(Key(1, ref _clientKey, BindingLabels.ClientResumeProof), data, proof);
    }

    /// <summary>Server proof = HMAC-SHA256(server key, 0x01 || 0x06 || the same fields || client proof (32)).</summary>
    public void ServerProof(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, ReadOnlySpan<byte> clientProof, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[TranscriptLength + BindingMessage.ProofLength];
        Transcript(BindingMessageType.ServerResume, id, nonce, saBinding, flow, data);
        clientProof.CopyTo(data[TranscriptLength..]);
        HMACSHA256.HashData(Key(2, ref _serverKey, BindingLabels.ServerResumeProof), data, proof);
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

    private static void Transcript(BindingMessageType type, BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, Span<byte> data)
    {
        data[0] = (byte)BindingProtocolVersion.V1;
        data[1] = (byte)type;
        id.Bytes.CopyTo(data[2..]);
        nonce.CopyTo(data[(2 + BindingId.Length)..]);
        saBinding.CopyTo(data[(2 + BindingId.Length + BindingMessage.NonceLength)..]);
        flow.CopyTo(data[(2 + BindingId.Length + BindingMessage.NonceLength + IpsecBindingInputs.ValueLength)..]);
    }
}
