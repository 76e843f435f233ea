using System.Net;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;

namespace CbbToolkit.Channels.Tests.IpsecBindings;

/// <summary>
/// ipsec-sa-binding v1 for NAT-traversal SAs (XFRMA_ENCAP): the outer addresses are left out (address length 0) and
/// the pair is ordered by SPI, so the two ends agree although a NAT gave each other outer addresses. Test vector 3 of
/// docs/channel-bindings.md (computed there with Python's hashlib).
/// </summary>
public sealed class SaBindingNatTraversalTests
{
    private const string Vector3 = "298c91d755587ee03712bc21d38bc0036a69d7c134482220ec6c64db4b93f270";

    [Fact]
    public void Vector3_BothEndsBehindANat_SameValue_AsTheDocumentSays()
    {
        // A (10.0.0.1, behind the NAT) and B (203.0.113.1), which sees A as the NAT's 198.51.100.7.
        var atA = Value(Gcm("10.0.0.1", "203.0.113.1", 0x1001, 0x00, encap: true), Gcm("203.0.113.1", "10.0.0.1", 0x2002, 0x20, encap: true));
        var atB = Value(Gcm("203.0.113.1", "198.51.100.7", 0x2002, 0x20, encap: true), Gcm("198.51.100.7", "203.0.113.1", 0x1001, 0x00, encap: true));

        Assert.Equal(Vector3, atA);
        Assert.Equal(Vector3, atB);
    }

    [Fact]
    public void WithoutEncapsulation_TheAddressesCount_TheNatsViewsDiffer()
    {
        var atA = Value(Gcm("10.0.0.1", "203.0.113.1", 0x1001, 0x00, encap: false), Gcm("203.0.113.1", "10.0.0.1", 0x2002, 0x20, encap: false));
        var atB = Value(Gcm("203.0.113.1", "198.51.100.7", 0x2002, 0x20, encap: false), Gcm("198.51.100.7", "203.0.113.1", 0x1001, 0x00, encap: false));

        Assert.NotEqual(atA, atB);
        Assert.NotEqual(Vector3, atA);
    }

    [Fact]
    public void Encapsulated_OrderBySpiAlone_NotBySource()
    {
        Assert.True(SaBindingTranscript.Compare([10, 0, 0, 9], 1, [10, 0, 0, 1], 2, encapsulated: true) < 0);
        Assert.True(SaBindingTranscript.Compare([10, 0, 0, 9], 1, [10, 0, 0, 1], 2, encapsulated: false) > 0);
        Assert.Equal(0, SaBindingTranscript.Compare([10, 0, 0, 9], 7, [10, 0, 0, 1], 7, encapsulated: true));
    }

    // The value of a pair given in either order (as IpsecSaBinding orders it), through the GETSA codec and key view.
    private static string Value(XfrmState outbound, XfrmState inbound)
    {
        var (first, second) = SaBindingTranscript.Compare(outbound.Source.GetAddressBytes(), outbound.Spi, inbound.Source.GetAddressBytes(), inbound.Spi,
            outbound.Encapsulation is not null || inbound.Encapsulation is not null) < 0 ? (outbound, inbound) : (inbound, outbound);
        using var t = new SaBindingTranscript();
        foreach (var sa in new[] { first, second })
        {
            var w = new NetlinkWriter();
            XfrmStateCodec.Write(w, sa);
            t.Append(new XfrmSaKeyMaterial(w.WrittenSpan));
        }

        var value = new byte[32];
        t.Finish(value);
        return Convert.ToHexStringLower(value);
    }

    private static XfrmState Gcm(string src, string dst, uint spi, int keyStart, bool encap) => new()
    {
        Source = IPAddress.Parse(src),
        Destination = IPAddress.Parse(dst),
        Spi = spi,
        Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(Enumerable.Range(keyStart, 20).Select(i => (byte)i).ToArray()), 128),
        Encapsulation = encap ? new XfrmEncapsulation(XfrmEncapsulationType.EspInUdp, 4500, 4500, IPAddress.Any) : null,
    };
}
