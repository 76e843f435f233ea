using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// The later-connection keys of one binding: PRK = HKDF-Extract("CBB-IPsec-Binding-v1 resume", binding secret); the
/// client's and the server's proof keys are HKDF-Expand(PRK, label, 32). Pinned, zeroed on Dispose.
/// </summary>
internal sealed class ResumeKeys : IDisposable
{
    private const int KeyLength = 32;
    private const int TranscriptLength = 2 + BindingId.Length + BindingMessage.NonceLength + IpsecBindingInputs.ValueLength + FlowEncoding.Length;

    // [0..32) client proof key, [32..64) server proof key.
    private readonly byte[] _keys = GC.AllocateUninitializedArray<byte>(2 * KeyLength, pinned: true);

    public ResumeKeys(BindingSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> prk = stackalloc byte[KeyLength];
        try
        {
            HKDF.Extract(HashAlgorithmName.SHA256, secret.Span, BindingLabels.ResumeSalt, prk);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _keys.AsSpan(0, KeyLength), BindingLabels.ClientResumeProof);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _keys.AsSpan(KeyLength, KeyLength), BindingLabels.ServerResumeProof);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>
    /// Client proof = HMAC-SHA256(client key, 0x01 || 0x05 || binding id (16) || nonce (32) || ipsec-sa-binding (32) || 5-tuple (37)).
    /// </summary>
    public void ClientProof(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[TranscriptLength];
        Transcript(BindingMessageType.ClientResume, id, nonce, saBinding, flow, data);
        HMACSHA256.HashData(_keys.AsSpan(0, KeyLength), data, proof);
    }

    /// <summary>Server proof = HMAC-SHA256(server key, 0x01 || 0x06 || the same fields || client proof (32)).</summary>
    public void ServerProof(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, ReadOnlySpan<byte> clientProof, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[TranscriptLength + BindingMessage.ProofLength];
        Transcript(BindingMessageType.ServerResume, id, nonce, saBinding, flow, data);
        clientProof.CopyTo(data[TranscriptLength..]);
        HMACSHA256.HashData(_keys.AsSpan(KeyLength, KeyLength), data, proof);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_keys);

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
