using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Parsing;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici.Parsing;

public sealed class PeerResolverTests
{
    private static ChildSa Child(uint uid, uint reqid, uint spiIn, uint spiOut, string state = "INSTALLED") =>
        new() { Name = "lab", UniqueId = uid, RequestId = reqid, State = state, InboundSpi = spiIn, OutboundSpi = spiOut };

    private static IkeSa Ike(uint uid, string remoteId, params ChildSa[] children) =>
        new() { Name = "lab", UniqueId = uid, State = "ESTABLISHED", RemoteId = remoteId, ChildSas = children };

    [Fact]
    public void FindChild_MatchesReqidAndSpis()
    {
        var sas = new[] { Ike(1, "b.test", Child(1, 5, 0x10, 0x20)), Ike(2, "c.test", Child(2, 6, 0x30, 0x40)) };

        Assert.Equal(2u, PeerResolver.FindChild(sas, 6, 0x30, 0x40)!.Value.Ike.UniqueId);
        Assert.Null(PeerResolver.FindChild(sas, 6, 0x30, 0x41));
        Assert.Null(PeerResolver.FindChild(sas, 7, null, null));
    }

    [Fact]
    public void FindChild_SameReqidUnderTwoIkeSas_FailsClosedUnlessSpisDecide()
    {
        var sas = new[] { Ike(1, "b.test", Child(1, 5, 0x10, 0x20)), Ike(2, "c.test", Child(2, 5, 0x30, 0x40)) };

        var e = Assert.Throws<IpsecException>(() => PeerResolver.FindChild(sas, 5, null, null));
        Assert.Equal(IpsecError.InvalidArgument, e.Error);
        Assert.Equal("c.test", PeerResolver.FindChild(sas, 5, 0x30, null)!.Value.Ike.RemoteId);
    }

    [Fact]
    public void FindChild_RekeyOverlapInOneIkeSa_PrefersTheInstalledOne()
    {
        var sas = new[] { Ike(1, "b.test", Child(1, 5, 0x10, 0x20, "REKEYED"), Child(2, 5, 0x11, 0x21)) };

        Assert.Equal(2u, PeerResolver.FindChild(sas, 5, null, null)!.Value.Child.UniqueId);
    }

    [Theory]
    [InlineData("public key", true, false, IpsecAuthenticationMethod.RawPublicKey)]
    [InlineData("public key", false, true, IpsecAuthenticationMethod.PkixOffline)]
    [InlineData("public key", false, false, IpsecAuthenticationMethod.PkixTrusted)]
    [InlineData("pre-shared key", false, false, IpsecAuthenticationMethod.PresharedKey)]
    [InlineData("EAP", false, false, IpsecAuthenticationMethod.Eap)]
    [InlineData("XAuth", false, false, IpsecAuthenticationMethod.Xauth)]
    [InlineData("any", false, false, IpsecAuthenticationMethod.None)]
    [InlineData(null, false, false, IpsecAuthenticationMethod.None)]
    public void Method_FromAuthClassAndCredential(string? authClass, bool rawKey, bool pinned, IpsecAuthenticationMethod expected)
    {
        Assert.Equal(expected, PeerResolver.Method(new IkeAuthConfig { Round = 1, AuthenticationClass = authClass }, rawKey, pinned));
    }

    [Fact]
    public void Describe_TwoCandidateKeysForThePeer_NoKeyRatherThanAGuess()
    {
        var ike = Ike(1, "b.test", Child(1, 5, 0x10, 0x20));
        var conn = new IkeConnection { Name = "lab", RemoteAuth = [new IkeAuthConfig { Round = 1, AuthenticationClass = "public key", Certificates = ["b.test"] }] };
        ViciCertificate Key(byte b) => new() { Type = "PUBKEY", Subject = "b.test", Data = new byte[] { 0x30, b } };

        var one = PeerResolver.Describe(ike, ike.ChildSas[0], conn, [Key(1)]);
        var two = PeerResolver.Describe(ike, ike.ChildSas[0], conn, [Key(1), Key(2)]);

        Assert.Equal(new byte[] { 0x30, 1 }, one.PublicKey?.ToArray());
        Assert.Null(two.PublicKey);
        Assert.Equal(IpsecAuthenticationMethod.RawPublicKey, two.AuthenticationMethod);
    }

    [Fact]
    public void Describe_OwnKeyAndOtherSubjects_NotThePeers()
    {
        var ike = Ike(1, "b.test", Child(1, 5, 0x10, 0x20));
        ViciCertificate[] certs =
        [
            new() { Type = "PUBKEY", Subject = "b.test", HasPrivateKey = true, Data = new byte[] { 1 } },
            new() { Type = "PUBKEY", Subject = "c.test", Data = new byte[] { 2 } },
        ];

        var peer = PeerResolver.Describe(ike, ike.ChildSas[0], connection: null, certs);

        Assert.Null(peer.PublicKey);
        Assert.Equal(IpsecAuthenticationMethod.None, peer.AuthenticationMethod);
    }

    [Fact]
    public void StrongSwanDn_KeepsEncodingOrder()
    {
        // Encoded C first, as openssl's -subj "/C=CH/O=.../CN=..." does (the lab test checks a real one against charon).
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest(Dn(("2.5.4.6", "CH"), ("2.5.4.10", "CbbToolkit Lab"), ("2.5.4.3", "b.test")), key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal("C=CH, O=CbbToolkit Lab, CN=b.test", PeerResolver.StrongSwanDn(new ViciCertificate { Type = "X509", Data = cert.RawData }));
    }

    [Fact]
    public void StrongSwanDn_UnknownAttribute_NoMatch()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest(Dn(("1.2.3.4", "x"), ("2.5.4.3", "b.test")), key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Null(PeerResolver.StrongSwanDn(new ViciCertificate { Type = "X509", Data = cert.RawData }));
    }

    /// <summary>A DN encoded with its RDNs in exactly the given order.</summary>
    private static X500DistinguishedName Dn(params (string Oid, string Value)[] rdns)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in rdns)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                }
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }
}
