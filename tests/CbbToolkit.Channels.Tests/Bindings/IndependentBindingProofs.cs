using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace CbbToolkit.Channels.Tests.Bindings;

/// <summary>
/// A second implementation of binding protocol v1's key derivations and proofs, written from docs/binding-protocol.md
/// ("Key derivation", "Proofs") on BouncyCastle's HMAC and HKDF-Expand, sharing no code with src/. HKDF-Extract is
/// RFC 5869's definition, HMAC-Hash(salt, IKM), on BouncyCastle's HMAC.
/// </summary>
internal static class IndependentBindingProofs
{
    public static byte[] Hmac(byte[] key, params byte[][] parts)
    {
        var mac = new HMac(new Sha256Digest());
        mac.Init(new KeyParameter(key));
        foreach (var part in parts)
        {
            mac.BlockUpdate(part, 0, part.Length);
        }

        var output = new byte[mac.GetMacSize()];
        mac.DoFinal(output, 0);
        return output;
    }

    public static byte[] Extract(string salt, byte[] ikm) => Hmac(Ascii(salt), ikm);

    public static byte[] Expand(byte[] prk, byte[] info, int length = 32)
    {
        var hkdf = new HkdfBytesGenerator(new Sha256Digest());
        hkdf.Init(HkdfParameters.SkipExtractParameters(prk, info));
        var output = new byte[length];
        hkdf.GenerateBytes(output, 0, length);
        return output;
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>First contact from the exporter value E.</summary>
    public sealed class FirstContact(byte[] exporter)
    {
        public byte[] Prk { get; } = Extract("CBB-IPsec-Binding-v1 first contact", exporter);

        public byte[] ClientKey => Expand(Prk, Ascii("cbb v1 client first-contact proof key"));

        public byte[] ServerKey => Expand(Prk, Ascii("cbb v1 server first-contact proof key"));

        public byte[] ClientProof(byte covered, byte[] saBinding, byte[]? endPoint) =>
            Hmac(ClientKey, [1, 1, covered], saBinding, endPoint ?? []);

        public byte[] ServerProof(byte covered, byte[] saBinding, byte[]? endPoint, byte[] clientProof, byte[] bindingId, uint lifetime) =>
            Hmac(ServerKey, [1, 2, covered], saBinding, endPoint ?? [], clientProof, bindingId, U32(lifetime));

        public byte[] Secret(byte[] bindingId) => Expand(Prk, [.. Ascii("cbb v1 binding secret"), .. bindingId]);
    }

    /// <summary>Later connections from the binding secret.</summary>
    public sealed class Resume(byte[] secret)
    {
        public byte[] Prk { get; } = Extract("CBB-IPsec-Binding-v1 resume", secret);

        public byte[] ClientKey => Expand(Prk, Ascii("cbb v1 client resume proof key"));

        public byte[] ServerKey => Expand(Prk, Ascii("cbb v1 server resume proof key"));

        public byte[] ClientProof(byte[] bindingId, byte[] nonce, byte[] saBinding, byte[] flow) =>
            Hmac(ClientKey, [1, 5], bindingId, nonce, saBinding, flow);

        public byte[] ServerProof(byte[] bindingId, byte[] nonce, byte[] saBinding, byte[] flow, byte[] clientProof) =>
            Hmac(ServerKey, [1, 6], bindingId, nonce, saBinding, flow, clientProof);
    }

    /// <summary>The 5-tuple encoding: protocol, client address (16, IPv4-mapped), port (2), server address (16), port (2).</summary>
    public static byte[] Flow(byte protocol, System.Net.IPAddress client, ushort clientPort, System.Net.IPAddress server, ushort serverPort)
    {
        var flow = new byte[37];
        flow[0] = protocol;
        client.MapToIPv6().GetAddressBytes().CopyTo(flow, 1);
        BinaryPrimitives.WriteUInt16BigEndian(flow.AsSpan(17), clientPort);
        server.MapToIPv6().GetAddressBytes().CopyTo(flow, 19);
        BinaryPrimitives.WriteUInt16BigEndian(flow.AsSpan(35), serverPort);
        return flow;
    }
}
