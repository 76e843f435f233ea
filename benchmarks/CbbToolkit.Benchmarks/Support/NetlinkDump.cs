using System.Buffers.Binary;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>
/// A netlink dump as the datagrams that carried it, and the parse loop of XfrmClient's dumps without the socket
/// (NetlinkReader over each datagram, then the SA or policy codec per NEWSA/NEWPOLICY message).
/// </summary>
internal static class NetlinkDump
{
    /// <summary>The kernel fills each dump datagram up to about this size (seen in the captures: 32 KB).</summary>
    private const int DatagramSize = 32 * 1024;

    /// <summary>Reads a capture of benchmarks/capture/xfrm-dump.py: [u32 little-endian length][datagram] records.</summary>
    public static byte[][] ReadCapture(string path)
    {
        var data = File.ReadAllBytes(path);
        var datagrams = new List<byte[]>();
        for (var at = 0; at < data.Length;)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));
            datagrams.Add(data.AsSpan(at + 4, length).ToArray());
            at += 4 + length;
        }

        return [.. datagrams];
    }

    /// <summary>A dump of <paramref name="states"/> written with the library's own encoder, packed like the kernel's.</summary>
    public static byte[][] EncodeStates(IEnumerable<XfrmState> states)
    {
        var datagrams = new List<byte[]>();
        var writer = new NetlinkWriter(DatagramSize * 2);
        foreach (var state in states)
        {
            var token = writer.BeginMessage(XfrmMessageType.NewSa, NetlinkMessageFlags.Multi, 1);
            XfrmStateCodec.Write(writer, state);
            writer.EndMessage(token);
            if (writer.Length >= DatagramSize)
            {
                datagrams.Add(writer.WrittenSpan.ToArray());
                writer.Clear();
            }
        }

        var done = writer.BeginMessage(NetlinkMessageType.Done, NetlinkMessageFlags.Multi, 1);
        writer.Reserve(4);
        writer.EndMessage(done);
        datagrams.Add(writer.WrittenSpan.ToArray());
        return [.. datagrams];
    }

    public static List<XfrmState> ParseStates(byte[][] datagrams)
    {
        var states = new List<XfrmState>();
        foreach (var datagram in datagrams)
        {
            var reader = new NetlinkReader(datagram);
            while (reader.TryRead(out var header, out var payload))
            {
                if (header.Type == XfrmMessageType.NewSa)
                {
                    states.Add(XfrmStateCodec.ReadMessage(payload));
                }
            }
        }

        return states;
    }

    public static int DecodeStatesNotKept(byte[][] datagrams)
    {
        var spis = 0u;
        foreach (var datagram in datagrams)
        {
            var reader = new NetlinkReader(datagram);
            while (reader.TryRead(out var header, out var payload))
            {
                if (header.Type == XfrmMessageType.NewSa)
                {
                    spis ^= XfrmStateCodec.ReadMessage(payload).Spi;
                }
            }
        }

        return (int)spis;
    }

    public static int CountMessages(byte[][] datagrams)
    {
        var count = 0;
        foreach (var datagram in datagrams)
        {
            var reader = new NetlinkReader(datagram);
            while (reader.TryRead(out var header, out _))
            {
                count += header.Type == XfrmMessageType.NewSa ? 1 : 0;
            }
        }

        return count;
    }

    public static List<XfrmPolicy> ParsePolicies(byte[][] datagrams)
    {
        var policies = new List<XfrmPolicy>();
        foreach (var datagram in datagrams)
        {
            var reader = new NetlinkReader(datagram);
            while (reader.TryRead(out var header, out var payload))
            {
                if (header.Type == XfrmMessageType.NewPolicy)
                {
                    policies.Add(XfrmPolicyCodec.ReadMessage(payload));
                }
            }
        }

        return policies;
    }
}
