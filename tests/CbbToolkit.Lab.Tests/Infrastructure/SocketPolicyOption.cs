using System.Buffers.Binary;
using System.Net.Sockets;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Sets a per-socket IPsec policy with IP_XFRM_POLICY / IPV6_XFRM_POLICY: one xfrm_userpolicy_info (168 bytes) and one
/// xfrm_user_tmpl (64 bytes) as laid out by include/uapi/linux/xfrm.h on 64-bit Linux.
/// </summary>
/// <remarks>TODO(lab): test-only stand-in; replace with the library's socket-policy encoder when it lands in src/Ipsec.</remarks>
internal static class SocketPolicyOption
{
    public const byte DirIn = 0;
    public const byte DirOut = 1;

    private const int PolicyInfoSize = 168;
    private const int TemplateSize = 64;
    private const byte IpprotoEsp = 50;
    private const byte ModeTransport = 0;

    /// <summary>Requires ESP transport with <paramref name="reqid"/> for all traffic of <paramref name="socket"/> in <paramref name="dir"/>.</summary>
    public static void RequireEsp(Socket socket, byte dir, uint reqid)
    {
        var v6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        var (level, name) = v6 ? (41 /*SOL_IPV6*/, 35 /*IPV6_XFRM_POLICY*/) : (0 /*SOL_IP*/, 17 /*IP_XFRM_POLICY*/);
        socket.SetRawSocketOption(level, name, Encode(v6 ? (ushort)10 : (ushort)2, dir, reqid));
    }

    internal static byte[] Encode(ushort family, byte dir, uint reqid)
    {
        var bytes = new byte[PolicyInfoSize + TemplateSize];
        var info = bytes.AsSpan(0, PolicyInfoSize);
        // xfrm_selector (0..56): all addresses and ports zero = any; only the family is set.
        BinaryPrimitives.WriteUInt16LittleEndian(info[40..], family);
        // xfrm_lifetime_cfg (56..120): no byte or packet limits (XFRM_INF), no time limits.
        info[56..88].Fill(0xFF);
        // xfrm_lifetime_cur (120..152) zero; priority, index (152..160) zero.
        info[160] = dir;                // action ALLOW (0), flags 0, share ANY (0)

        var tmpl = bytes.AsSpan(PolicyInfoSize);
        // xfrm_id: daddr (0..16) and spi (16..20) zero = taken from the flow and any SPI.
        tmpl[20] = IpprotoEsp;
        BinaryPrimitives.WriteUInt16LittleEndian(tmpl[24..], family);
        // saddr (28..44) zero = from the flow.
        BinaryPrimitives.WriteUInt32LittleEndian(tmpl[44..], reqid);
        tmpl[48] = ModeTransport;       // share 0, optional 0 (= "level require")
        tmpl[52..64].Fill(0xFF);        // aalgos, ealgos, calgos: any algorithm
        return bytes;
    }
}
