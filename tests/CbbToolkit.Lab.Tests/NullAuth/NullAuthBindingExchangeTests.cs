using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Lab.Tests.IpsecBindings;
using CbbToolkit.Testing.Libreswan;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Lab.Tests.NullAuth;

/// <summary>
/// The binding exchange's first contact on a stand-alone BTNS channel: TLS (server certificate checked by the client)
/// over a TCP connection that ESP from RFC 7619 NULL-authenticated IKE protects (two real plutos, <see cref="PlutoPair"/>).
/// Each end proves the ipsec-sa-binding it computed from its own kernel - the only IPsec value there is - and both get
/// the same binding, with the other end's IPsec identity unauthenticated. Control: a server whose value differs in one
/// bit refuses with ProofMismatch, and the client hears why.
/// </summary>
public sealed class NullAuthBindingExchangeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstContactOverTls_OnlySaBinding_BothEndsBound_PeersUnauthenticated_OtherValueRefused()
    {
        KernelEsp.Require();
        await using var pair = await PlutoPair.StartAsync(Ct);
        await pair.BringUpAsync(Ct);
        using var certificate = SelfSigned();
        var exchange = new BindingExchange(Options.Create(new BindingExchangeOptions()));
        var server = new IPEndPoint(pair.AddressB, PlutoPair.Port);
        using var listener = TcpEcho.Open(new LabHost(pair.NamespaceB, "veth-b", pair.AddressB, IPAddress.IPv6None), AddressFamily.InterNetwork);
        listener.Bind(server);
        listener.Listen();

        // First connection: both ends use what their own kernel and pluto say.
        var (client, accepted) = await ConnectAsync(pair, listener, server);
        using (client)
        using (accepted)
        {
            var (_, a) = await BindingEnd.ConvertAsync(pair.NamespaceA, BindingEnd.Of(client), Ct, new WhackPeerSource(pair.ControlA));
            var (_, b) = await BindingEnd.ConvertAsync(pair.NamespaceB, BindingEnd.Mirror(BindingEnd.Of(client)), Ct, new WhackPeerSource(pair.ControlB));
            Assert.False(a.Info.Contains(ChannelAttributeType.IpsecEndPointSha256)); // only ipsec-sa-binding to prove
            Assert.Equal(BindingEnd.SaBinding(a), BindingEnd.SaBinding(b));
            var (tlsA, tlsB) = await NullAuthTls.HandshakeAsync(client, accepted, certificate, Ct);
            using (tlsA)
            using (tlsB)
            {
                var serverSide = exchange.BindAsServerAsync(tlsB, b.Info, IpsecIdentity.Unauthenticated, principal: null, Ct);
                using var clientRecord = await exchange.BindAsClientAsync(tlsA, a.Info, IpsecIdentity.Unauthenticated, "server.test:8080", Ct);
                using var serverRecord = await serverSide;

                Assert.Equal(clientRecord.Id, serverRecord.Id);
                Assert.Equal(clientRecord.Secret, serverRecord.Secret);
                Assert.Same(IpsecIdentity.Unauthenticated, serverRecord.ClientIpsecIdentity);
                Assert.Same(IpsecIdentity.Unauthenticated, clientRecord.ServerIpsecIdentity);
                Assert.False(serverRecord.ClientIpsecIdentity.IsAuthenticated);
                Assert.Equal(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()), clientRecord.ServerSpkiSha256.ToArray());
            }
        }

        // Second connection: the server's value has one bit flipped; the proofs cannot match.
        var (client2, accepted2) = await ConnectAsync(pair, listener, server);
        using (client2)
        using (accepted2)
        {
            var (_, a2) = await BindingEnd.ConvertAsync(pair.NamespaceA, BindingEnd.Of(client2), Ct);
            var (_, b2) = await BindingEnd.ConvertAsync(pair.NamespaceB, BindingEnd.Mirror(BindingEnd.Of(client2)), Ct);
            var flipped = BindingEnd.SaBinding(b2);
            flipped[0] ^= 1;
            var (tlsA, tlsB) = await NullAuthTls.HandshakeAsync(client2, accepted2, certificate, Ct);
            using (tlsA)
            using (tlsB)
            {
                var serverSide = Record.ExceptionAsync(() => exchange.BindAsServerAsync(tlsB,
                    b2.Info.With(ChannelAttributeType.IpsecSaBinding, flipped), IpsecIdentity.Unauthenticated, principal: null, Ct));
                var clientError = await Record.ExceptionAsync(() => exchange.BindAsClientAsync(tlsA, a2.Info, IpsecIdentity.Unauthenticated, "server.test:8080", Ct));
                var serverError = await serverSide;

                Assert.Equal(BindingFailureReason.ProofMismatch, Assert.IsType<ChannelBindingException>(serverError).Reason);
                var refused = Assert.IsType<ChannelBindingException>(clientError);
                Assert.Equal((BindingFailureReason.PeerRefused, BindingFailureReason.ProofMismatch), (refused.Reason, refused.PeerReason));
            }
        }
    }

    private static async Task<(Socket Client, Socket Accepted)> ConnectAsync(PlutoPair pair, Socket listener, IPEndPoint server)
    {
        var client = TcpEcho.Open(new LabHost(pair.NamespaceA, "veth-a", pair.AddressA, IPAddress.IPv6None), AddressFamily.InterNetwork);
        var accept = listener.AcceptAsync(Ct);
        await client.ConnectAsync(server, Ct);
        return (client, await accept);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=server.test", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
