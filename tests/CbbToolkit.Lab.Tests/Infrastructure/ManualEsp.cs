using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Manually keyed transport-mode ESP between the hosts of <see cref="TwoHosts"/>: AES-GCM (rfc4106, 128-bit ICV) SAs for
/// A to B and B to A with random SPIs and keys, and optionally the policies that require them for TCP, both directions.
/// Set up with iproute2 until our own XFRM client lands (then SAs come from it and <c>ip</c> stays as the cross-check).
/// </summary>
/// <example><c>var esp = new ManualEsp(family, reqid: 7, policies: true); using var hosts = new TwoHosts(esp.Commands);</c></example>
internal sealed class ManualEsp
{
    private readonly AddressFamily _family;
    private readonly bool _policies;
    private readonly string _keyAToB;
    private readonly string _keyBToA;

    public ManualEsp(AddressFamily family, uint reqid, bool policies)
    {
        _family = family;
        _policies = policies;
        RequestId = reqid;
        var spis = RandomNumberGenerator.GetBytes(8);
        SpiAToB = 0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(spis) & 0xFFFFFF);
        SpiBToA = 0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(spis.AsSpan(4)) & 0xFFFFFF);
        // 16 key bytes + 4 salt bytes per direction; they go to ip on stdin, never on a command line or into a message.
        _keyAToB = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        _keyBToA = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
    }

    public uint SpiAToB { get; }

    public uint SpiBToA { get; }

    public uint RequestId { get; }

    /// <summary>The <c>ip -batch</c> lines that set up <paramref name="self"/>, one of <paramref name="hosts"/>.</summary>
    public string Commands(TwoHosts hosts, LabHost self)
    {
        var (a, b) = (hosts.A.Address(_family), hosts.B.Address(_family));
        var commands =
            $"xfrm state add src {a} dst {b} proto esp spi 0x{SpiAToB:x8} reqid {RequestId} mode transport aead rfc4106(gcm(aes)) 0x{_keyAToB} 128\n" +
            $"xfrm state add src {b} dst {a} proto esp spi 0x{SpiBToA:x8} reqid {RequestId} mode transport aead rfc4106(gcm(aes)) 0x{_keyBToA} 128\n";
        if (_policies)
        {
            var (local, remote) = self == hosts.A ? (a, b) : (b, a);
            commands += Policy(local, remote, "out") + Policy(remote, local, "in");
        }

        return commands;
    }

    private string Policy(IPAddress src, IPAddress dst, string dir) =>
        $"xfrm policy add src {src} dst {dst} proto tcp dir {dir} tmpl src {src} dst {dst} proto esp reqid {RequestId} mode transport\n";
}
