using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Lab.Tests.IpsecBindings;
using CbbToolkit.Testing.Libreswan;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Lab.Tests.NullAuth;

/// <summary>
/// The later-connection path of the binding exchange (docs/binding-protocol.md 6.3) over real ESP from RFC 7619
/// NULL-authenticated IKE (two plutos): first contact over TLS binds; a later plaintext TCP connection on the same SA
/// pair resumes with Challenge / ClientResume / ServerResume, each end proving over the ipsec-sa-binding it computes
/// from its own kernel and the latch state its own latch database reports. Controls: a one-bit-off server value is
/// refused (proof-mismatch, and the client hears why). After a child rekey (new keys, so a new ipsec-sa-binding) the
/// binding still resumes over the new pair's value (section 4.2: it is keyed by the binding secret), and a client still
/// proving the old pair's value is refused.
/// </summary>
public sealed class NullAuthResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstContactOverTls_ThenResumeOverPlaintext_ThenAfterChildRekey()
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
        await using var latchA = await LatchEnd.StartAsync(pair.NamespaceA, Ct);
        await using var latchB = await LatchEnd.StartAsync(pair.NamespaceB, Ct);

        // First contact over TLS.
        ChannelBindingRecord clientRecord, serverRecord;
        byte[] firstSa;
        var (c1, s1) = await ConnectAsync(pair, listener, server);
        using (c1)
        using (s1)
        {
            var (_, a) = await BindingEnd.ConvertAsync(pair.NamespaceA, BindingEnd.Of(c1), Ct);
            var (_, b) = await BindingEnd.ConvertAsync(pair.NamespaceB, BindingEnd.Mirror(BindingEnd.Of(c1)), Ct);
            firstSa = BindingEnd.SaBinding(a);
            var (tlsA, tlsB) = await NullAuthTls.HandshakeAsync(c1, s1, certificate, Ct);
            using (tlsA)
            using (tlsB)
            {
                var serverSide = exchange.BindAsServerAsync(tlsB, b.Info, IpsecIdentity.Unauthenticated, principal: null, Ct);
                clientRecord = await exchange.BindAsClientAsync(tlsA, a.Info, IpsecIdentity.Unauthenticated, "server.test:8080", Ct);
                serverRecord = await serverSide;
            }
        }

        using (clientRecord)
        using (serverRecord)
        {
            ChannelBindingRecord? Lookup(BindingId id) => id == serverRecord.Id ? serverRecord : null;

            // A later connection, no TLS: resumes on the same SA pair.
            var (c2, s2) = await ConnectAsync(pair, listener, server);
            using (c2)
            using (s2)
            {
                var (infoA, infoB) = await LatchedViewsAsync(pair, latchA, latchB, c2);
                Assert.Equal(Hex(firstSa), Hex(Sa(infoA)));
                var resumed = await ResumeAsync(exchange, clientRecord, Lookup, c2, s2, infoA, infoB);
                Assert.Same(serverRecord, resumed);
            }

            // Control: the server sees another value (one bit): both ends refuse, the client hears proof-mismatch.
            var (c3, s3) = await ConnectAsync(pair, listener, server);
            using (c3)
            using (s3)
            {
                var (infoA, infoB) = await LatchedViewsAsync(pair, latchA, latchB, c3);
                var flipped = Sa(infoB);
                flipped[31] ^= 0x80;
                var (clientError, serverError) = await ResumeFailsAsync(exchange, clientRecord, Lookup, c3, s3, infoA,
                    infoB.With(ChannelAttributeType.IpsecSaBinding, flipped));
                Assert.Equal(BindingFailureReason.ProofMismatch, serverError.Reason);
                Assert.Equal((BindingFailureReason.PeerRefused, BindingFailureReason.ProofMismatch), (clientError.Reason, clientError.PeerReason));
            }

            // Child rekey: new keys, a new ipsec-sa-binding on both ends; the binding resumes over the new value.
            LibreswanLab.Whack(pair.ControlA, "--name", PlutoPair.ConnectionName, "--rekey-ipsec");
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var (c4, s4) = await ConnectAsync(pair, listener, server);
                using (c4)
                using (s4)
                {
                    var (infoA, infoB) = await LatchedViewsAsync(pair, latchA, latchB, c4);
                    var saA = Sa(infoA);
                    var saB = Sa(infoB);
                    if (Hex(saA) != Hex(firstSa) && Hex(saA) == Hex(saB))
                    {
                        Assert.Same(serverRecord, await ResumeAsync(exchange, clientRecord, Lookup, c4, s4, infoA, infoB));
                        Console.WriteLine($"resume after child rekey: both ends on the new pair after {clock.ElapsedMilliseconds} ms");
                        break;
                    }
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the ends did not both move to the rekeyed pair within 20 s");
                await Task.Delay(200, Ct);
            }

            // Control: a client that still proves the old pair's value (a stale view) is refused after the rekey.
            var (c5, s5) = await ConnectAsync(pair, listener, server);
            using (c5)
            using (s5)
            {
                var (infoA, infoB) = await LatchedViewsAsync(pair, latchA, latchB, c5);
                var (clientError, serverError) = await ResumeFailsAsync(exchange, clientRecord, Lookup, c5, s5,
                    infoA.With(ChannelAttributeType.IpsecSaBinding, firstSa), infoB);
                Assert.Equal(BindingFailureReason.ProofMismatch, serverError.Reason);
                Assert.Equal(BindingFailureReason.PeerRefused, clientError.Reason);
            }
        }
    }

    // Each end's ChannelInfo for the connection: binding values from its own kernel, latch state from its own latch.
    private static async Task<(ChannelInfo A, ChannelInfo B)> LatchedViewsAsync(PlutoPair pair, LatchEnd latchA, LatchEnd latchB, Socket client)
    {
        var flow = BindingEnd.Of(client);
        var (channelA, a) = await BindingEnd.ConvertAsync(pair.NamespaceA, flow, Ct, new WhackPeerSource(pair.ControlA));
        var (channelB, b) = await BindingEnd.ConvertAsync(pair.NamespaceB, BindingEnd.Mirror(flow), Ct, new WhackPeerSource(pair.ControlB));
        Assert.Equal((channelA.Outbound.Spi, channelA.Inbound.Spi), (channelB.Inbound.Spi, channelB.Outbound.Spi));
        return (a.Info.With(ChannelAttributeType.LatchState, [(byte)latchA.Latch(channelA)]),
                b.Info.With(ChannelAttributeType.LatchState, [(byte)latchB.Latch(channelB)]));
    }

    private static async Task<ChannelBindingRecord> ResumeAsync(BindingExchange exchange, ChannelBindingRecord clientRecord,
        Func<BindingId, ChannelBindingRecord?> lookup, Socket client, Socket accepted, ChannelInfo infoA, ChannelInfo infoB)
    {
        await using var streamA = new NetworkStream(client, ownsSocket: false);
        await using var streamB = new NetworkStream(accepted, ownsSocket: false);
        var serverSide = exchange.ResumeAsServerAsync(streamB, lookup, infoB, BindingEnd.Mirror(BindingEnd.Of(client)), Ct);
        await exchange.ResumeAsClientAsync(streamA, clientRecord, infoA, BindingEnd.Of(client), Ct);
        return await serverSide;
    }

    private static async Task<(ChannelBindingException Client, ChannelBindingException Server)> ResumeFailsAsync(BindingExchange exchange,
        ChannelBindingRecord clientRecord, Func<BindingId, ChannelBindingRecord?> lookup, Socket client, Socket accepted, ChannelInfo infoA, ChannelInfo infoB)
    {
        await using var streamA = new NetworkStream(client, ownsSocket: false);
        await using var streamB = new NetworkStream(accepted, ownsSocket: false);
        var serverSide = Record.ExceptionAsync(() => exchange.ResumeAsServerAsync(streamB, lookup, infoB, BindingEnd.Mirror(BindingEnd.Of(client)), Ct));
        var clientError = await Record.ExceptionAsync(() => exchange.ResumeAsClientAsync(streamA, clientRecord, infoA, BindingEnd.Of(client), Ct));
        var serverError = await serverSide;
        return (Assert.IsType<ChannelBindingException>(clientError), Assert.IsType<ChannelBindingException>(serverError));
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

    private static byte[] Sa(ChannelInfo info) =>
        info.GetBytes(ChannelAttributeType.IpsecSaBinding) ?? throw new Xunit.Sdk.XunitException("no ipsec-sa-binding");

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}
