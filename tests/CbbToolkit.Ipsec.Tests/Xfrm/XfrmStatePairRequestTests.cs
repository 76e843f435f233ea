using System.Buffers.Binary;
using System.Net;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>
/// The batched GETSA request of ipsec-sa-binding: two complete netlink messages in one buffer, each octet for octet the
/// single GETSA request for its SA apart from its own sequence number, so the kernel parses it exactly as two sends.
/// </summary>
public sealed class XfrmStatePairRequestTests
{
    private static readonly (IPAddress, uint, XfrmProtocol) Out = (IPAddress.Parse("10.0.0.2"), 0x1001, XfrmProtocol.Esp);
    private static readonly (IPAddress, uint, XfrmProtocol) In = (IPAddress.Parse("fd00::1"), 0xc0ffee, XfrmProtocol.Esp);

    [Fact]
    public void Pair_IsTwoSingleRequestsBackToBack_WithTheirOwnSequenceNumbers()
    {
        var pair = XfrmRequests.GetStatePair(Out, 7, In, 8).WrittenSpan.ToArray();
        var first = XfrmRequests.GetState(Out.Item1, Out.Item2, Out.Item3, 7).WrittenSpan.ToArray();
        var second = XfrmRequests.GetState(In.Item1, In.Item2, In.Item3, 8).WrittenSpan.ToArray();

        Assert.Equal(NetlinkAlignment.Align(first.Length), first.Length); // aligned, so nothing between the two messages
        Assert.Equal(Convert.ToHexStringLower([.. first, .. second]), Convert.ToHexStringLower(pair));

        var reader = new NetlinkReader(pair);
        var headers = new List<NetlinkMessageHeader>();
        while (reader.TryRead(out var header, out _))
        {
            headers.Add(header);
        }

        Assert.Equal([7u, 8u], headers.Select(h => h.Sequence));
        Assert.All(headers, h => Assert.Equal(XfrmMessageType.GetSa, h.Type));
        Assert.All(headers, h => Assert.Equal(NetlinkMessageFlags.Request, h.Flags)); // no ACK: the SA (or an error) is the answer
        Assert.Equal(first.Length, BinaryPrimitives.ReadInt32LittleEndian(pair));
    }

    [Fact]
    public void Pair_WithOneSequenceNumberTwice_Refused() =>
        Assert.Throws<ArgumentException>(() => XfrmRequests.GetStatePair(Out, 5, In, 5));
}
