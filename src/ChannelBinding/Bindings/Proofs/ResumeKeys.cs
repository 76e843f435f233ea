using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// The later-connection keys of one binding: PRK = HKDF-Extract("CBB-IPsec-Binding-v1 resume", binding secret); the
/// client's and the server's proof keys are HKDF-Expand(PRK, label, 32). A pure function of the secret, so derived
/// once per binding (<see cref="ChannelBindingRecord"/> keeps them beside its secret) and held with a kept HMAC
/// context per proof key: a later connection pays two MAC updates, not a derivation. Pinned, zeroed on Dispose
/// (the PRK as soon as both keys exist). Thread-safe: concurrent connections of one binding share it.
/// </summary>
internal sealed class ResumeKeys : IDisposable
{
    private const int KeyLength = 32;
    private const int TranscriptLength = 2 + BindingId.Length + BindingMessage.NonceLength + IpsecBindingInputs.ValueLength + FlowEncoding.Length;

    private readonly byte[] _clientKey = GC.AllocateUninitializedArray<byte>(KeyLength, pinned: true);
    private readonly byte[] _serverKey = GC.AllocateUninitializedArray<byte>(KeyLength, pinned: true);
    private readonly KeyedMac _clientMac;
    private readonly KeyedMac _serverMac;

    public ResumeKeys(BindingSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> prk = stackalloc byte[KeyLength];
        try
        {
            HKDF.Extract(HashAlgorithmName.SHA256, secret.Span, BindingLabels.ResumeSalt, prk);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _clientKey, BindingLabels.ClientResumeProof);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _serverKey, BindingLabels.ServerResumeProof);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }

        _clientMac = new KeyedMac(_clientKey);
        _serverMac = new KeyedMac(_serverKey);
    }

    /// <summary>
    /// Client proof = HMAC-SHA256(client key, 0x01 || 0x05 || binding id (16) || nonce (32) || ipsec-sa-binding (32) || 5-tuple (37)).
    /// </summary>
    /// <exception cref="ObjectDisposedException">After Dispose (the record was disposed).</exception>
    public void ClientProof(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[TranscriptLength];
        Transcript(BindingMessageType.ClientResume, id, nonce, saBinding, flow, data);
        _clientMac.Compute(data, proof);
    }

    /// <summary>Server proof = HMAC-SHA256(server key, 0x01 || 0x06 || the same fields || client proof (32)).</summary>
    /// <exception cref="ObjectDisposedException">After Dispose (the record was disposed).</exception>
    public void ServerProof(BindingId id, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> saBinding, ReadOnlySpan<byte> flow, ReadOnlySpan<byte> clientProof, Span<byte> proof)
    {
        Span<byte> data = stackalloc byte[TranscriptLength + BindingMessage.ProofLength];
        Transcript(BindingMessageType.ServerResume, id, nonce, saBinding, flow, data);
        clientProof.CopyTo(data[TranscriptLength..]);
        _serverMac.Compute(data, proof);
    }

    /// <summary>Frees the MAC contexts (OpenSSL clears their key copies), then zeroes both keys.</summary>
    public void Dispose()
    {
        _clientMac.Dispose();
        _serverMac.Dispose();
        CryptographicOperations.ZeroMemory(_clientKey);
        CryptographicOperations.ZeroMemory(_serverKey);
    }

    // For the test that disposing a record zeroes its keys.
    internal bool KeysAreZero => !_clientKey.AsSpan().ContainsAnyExcept((byte)0) && !_serverKey.AsSpan().ContainsAnyExcept((byte)0);

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
