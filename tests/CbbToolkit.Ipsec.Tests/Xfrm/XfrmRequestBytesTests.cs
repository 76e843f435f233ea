using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>
/// Our request encoder against the exact octets iproute2 sent for the same request (see <see cref="IpCaptures"/>),
/// and our decoder against the same captures. No kernel needed.
/// </summary>
public sealed class XfrmRequestBytesTests
{
    private const string AuthKey = "0102030405060708090a0b0c0d0e0f100102030405060708090a0b0c0d0e0f10";

    private static readonly XfrmPolicy PolicyIpv4 = new()
    {
        Selector = XfrmSelector.Between(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), ProtocolType.Tcp, 0, 443),
        Direction = XfrmPolicyDirection.Out,
        Priority = 100,
        Templates = [new XfrmTemplate { Protocol = XfrmProtocol.Esp, Mode = XfrmMode.Transport, RequestId = 5, IsOptional = true }],
    };

    private static readonly XfrmPolicy PolicyIpv6 = new()
    {
        Selector = XfrmSelector.Any(AddressFamily.InterNetworkV6) with
        {
            Source = IPAddress.Parse("fd00::1"),
            SourcePrefixLength = 128,
            Destination = IPAddress.Parse("fd00::"),
            DestinationPrefixLength = 64,
        },
        Direction = XfrmPolicyDirection.In,
        Priority = 5,
        Mark = new XfrmMark(7, 0xf),
        InterfaceId = 3,
        Templates =
        [
            new XfrmTemplate { Source = IPAddress.Parse("fd00::9"), Destination = IPAddress.Parse("fd00::1"), Mode = XfrmMode.Tunnel, RequestId = 7 },
            new XfrmTemplate { Source = IPAddress.IPv6Any, Destination = IPAddress.IPv6Any, Protocol = XfrmProtocol.Comp },
        ],
    };

    private static readonly XfrmState StateCbcHmac = new()
    {
        Source = IPAddress.Parse("10.0.0.1"),
        Destination = IPAddress.Parse("10.0.0.2"),
        Spi = 0x100,
        RequestId = 1,
        Encryption = new XfrmAlgorithm("cbc(aes)", XfrmKey.FromHex("0102030405060708090a0b0c0d0e0f10")),
        Authentication = new XfrmAuthenticationAlgorithm("hmac(sha256)", XfrmKey.FromHex(AuthKey), 128),
    };

    private static readonly XfrmState StateGcmEncap = new()
    {
        Selector = XfrmSelector.Between(IPAddress.Parse("fd00::1"), IPAddress.Parse("fd00::2"), ProtocolType.Udp),
        Source = IPAddress.Parse("fd00::1"),
        Destination = IPAddress.Parse("fd00::2"),
        Spi = 0xc0ffee,
        Mode = XfrmMode.Tunnel,
        RequestId = 9,
        ReplayWindow = 32,
        Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", XfrmKey.FromHex("0102030405060708090a0b0c0d0e0f1011121314"), 128),
        Encapsulation = new XfrmEncapsulation(XfrmEncapsulationType.EspInUdp, 4500, 4501, IPAddress.IPv6Any),
        Mark = new XfrmMark(1, 0xff),
        InterfaceId = 5,
    };

    [Fact]
    public void PolicyAdd_Ipv4_SameOctetsAsIp() =>
        Assert.Equal(Request(IpCaptures.PolicyAddIpv4), Hex(XfrmRequests.ChangePolicy(XfrmMessageType.NewPolicy, PolicyIpv4, 0)));

    [Fact]
    public void PolicyAdd_Ipv6TunnelWithMarkAndIfId_SameOctetsAsIp() =>
        Assert.Equal(Request(IpCaptures.PolicyAddIpv6), Hex(XfrmRequests.ChangePolicy(XfrmMessageType.NewPolicy, PolicyIpv6, 0)));

    [Fact]
    public void StateAdd_CbcHmac_SameOctetsAsIp() =>
        Assert.Equal(Request(IpCaptures.StateAddCbcHmac), Hex(XfrmRequests.ChangeState(XfrmMessageType.NewSa, StateCbcHmac, 0)));

    [Fact]
    public void StateAdd_GcmEncapMarkIfId_SameOctetsAsIp() =>
        Assert.Equal(Request(IpCaptures.StateAddGcmEncap), Hex(XfrmRequests.ChangeState(XfrmMessageType.NewSa, StateGcmEncap, 0)));

    [Fact]
    public void PolicyDelete_SameOctetsAsIp() =>
        Assert.Equal(Request(IpCaptures.PolicyDelete),
            Hex(XfrmRequests.DeletePolicy(new XfrmPolicy { Selector = PolicyIpv4.Selector, Direction = XfrmPolicyDirection.Out }, 0)));

    [Fact]
    public void StateFlush_SameOctetsAsIp() =>
        Assert.Equal(Request(IpCaptures.StateFlushEsp), Hex(XfrmRequests.FlushStates(XfrmProtocol.Esp, 0)));

    [Theory]
    [InlineData(nameof(IpCaptures.StateAddCbcHmac))]
    [InlineData(nameof(IpCaptures.StateAddGcmEncap))]
    public void IpsStateRequests_DecodeToTheSameState(string capture)
    {
        var (expected, hex) = capture == nameof(IpCaptures.StateAddCbcHmac)
            ? (StateCbcHmac, IpCaptures.StateAddCbcHmac)
            : (StateGcmEncap, IpCaptures.StateAddGcmEncap);
        var payload = Convert.FromHexString(hex).AsSpan(NetlinkAlignment.MessageHeaderLength);
        Assert.Equal(expected, XfrmStateCodec.ReadMessage(payload));
    }

    [Theory]
    [InlineData(nameof(IpCaptures.ErrorExists), 17, null)]
    [InlineData(nameof(IpCaptures.ErrorNoEsp), 93, "Requested type not found")]
    [InlineData(nameof(IpCaptures.ErrorNoAead), 38, "Requested AEAD algorithm not found")]
    public void KernelErrors_ParsedWithErrnoAndExtendedAck(string capture, int errno, string? message)
    {
        var hex = (string)typeof(IpCaptures).GetField(capture)!.GetValue(null)!;
        var reader = new NetlinkReader(Convert.FromHexString(hex));
        Assert.True(reader.TryRead(out var header, out var payload));
        Assert.Equal(NetlinkMessageType.Error, header.Type);

        var error = NetlinkError.Parse(header.Flags, payload);

        Assert.Equal((errno, message), (error.Errno, error.KernelMessage));
        Assert.False(reader.TryRead(out _, out _));
    }

    [Fact]
    public void PolicyDumpDatagram_DecodesToWhatIpPrinted()
    {
        var reader = new NetlinkReader(Convert.FromHexString(IpCaptures.PolicyDump));
        var decoded = new List<XfrmPolicy>();
        while (reader.TryRead(out var header, out var payload))
        {
            Assert.Equal(XfrmMessageType.NewPolicy, header.Type);
            Assert.True(header.Flags.HasFlag(NetlinkMessageFlags.Multi));
            decoded.Add(XfrmPolicyCodec.ReadMessage(payload));
        }

        Assert.Equal(IpXfrmParser.ParsePolicies(IpCaptures.PolicyDumpText), decoded.Select(IpXfrmViews.View));
    }

    private static string Hex(NetlinkWriter writer) => Convert.ToHexStringLower(writer.WrittenSpan);

    /// <summary>The captured request with its sequence number zeroed (ours are built with sequence 0).</summary>
    private static string Request(string hex) => hex[..16] + "00000000" + hex[24..];
}
