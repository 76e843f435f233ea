using System.Diagnostics;
using CbbToolkit.Ipsec;
using CbbToolkit.Lab.Tests.EndToEnd;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using CbbToolkit.Testing.Iproute2;
using Xunit;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// Both binding values of an SA pair negotiated by two real charons (raw ECDSA public keys, a.test and b.test; a fresh
/// pair per test, <see cref="CharonSession"/>): each end computes them from its own kernel and its own charon, and they
/// are equal; ipsec-end-point-sha256 is the XOR of the SHA-256 of the two keys as openssl encodes them; iproute2's view
/// of charon's SAs hashes to the same ipsec-sa-binding. A child rekey changes ipsec-sa-binding (new keys) on both ends
/// alike and leaves ipsec-end-point-sha256 as it was (same IKE keys).
/// </summary>
public sealed class CharonSaBindingTests
{
    private const int EchoBytes = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NegotiatedPair_BothEndsEqual_EndPointIsXorOfTheKeys_IpReferenceAgrees()
    {
        RequireLab();
        await using var s = await CharonSession.StartAsync(Ct);
        await s.ConnectThroughAcquireAsync(Ct);
        await s.EchoAsync(EchoBytes, Ct);
        await s.ResolveProtectedAsync(null, Ct); // A's peer source knows the IKE SA
        await using var ends = await CharonEnds.OpenAsync(s, Ct);

        var (channelA, a, channelB, b) = await ends.ConvertAsync(Ct);

        Assert.Equal((channelA.Outbound.Spi, channelA.Inbound.Spi), (channelB.Inbound.Spi, channelB.Outbound.Spi));
        Assert.Equal(("b.test", "a.test"), (channelA.Peer?.RemoteId, channelB.Peer?.RemoteId));
        Assert.Equal((IpsecAuthenticationMethod.RawPublicKey, IpsecAuthenticationMethod.RawPublicKey),
            (channelA.Peer!.AuthenticationMethod, channelB.Peer!.AuthenticationMethod));
        var saA = Hex(BindingEnd.SaBinding(a));
        Assert.Equal(saA, Hex(BindingEnd.SaBinding(b)));
        Assert.Equal(saA, Hex(IpXfrmSaBinding.Compute(s.Pair.A.Namespace, channelA.Outbound.Spi, channelA.Inbound.Spi)));
        Assert.Equal(saA, Hex(IpXfrmSaBinding.Compute(s.Pair.B.Namespace, channelA.Outbound.Spi, channelA.Inbound.Spi)));
        var endPointA = Hex(BindingEnd.EndPoint(a));
        Assert.Equal(endPointA, Hex(BindingEnd.EndPoint(b)));
        Assert.Equal(Hex(ends.ExpectedEndPoint()), endPointA);
        Assert.NotEqual(saA, endPointA);
    }

    [Fact]
    public async Task ChildRekey_SaBindingChangesOnBothEndsAlike_EndPointUnchanged()
    {
        RequireLab();
        await using var s = await CharonSession.StartAsync(Ct);
        await s.ConnectThroughAcquireAsync(Ct);
        await s.EchoAsync(EchoBytes, Ct);
        await s.ResolveProtectedAsync(null, Ct);
        await using var ends = await CharonEnds.OpenAsync(s, Ct);
        var (oldA, a0, _, b0) = await ends.ConvertAsync(Ct);
        var (saBefore, endPointBefore) = (Hex(BindingEnd.SaBinding(a0)), Hex(BindingEnd.EndPoint(a0)));
        Assert.Equal(saBefore, Hex(BindingEnd.SaBinding(b0)));

        var clock = Stopwatch.StartNew();
        s.Pair.A.Swanctl("--rekey", "--child", "lab");
        // Until both ends resolve the connection to the new pair (make-before-break: the old SAs linger a moment).
        while (true)
        {
            var (channelA, a, channelB, b) = await ends.ConvertAsync(Ct);
            var moved = channelA.Outbound.Spi != oldA.Outbound.Spi && channelA.Inbound.Spi != oldA.Inbound.Spi
                && (channelA.Outbound.Spi, channelA.Inbound.Spi) == (channelB.Inbound.Spi, channelB.Outbound.Spi);
            if (moved)
            {
                await s.EchoAsync(EchoBytes, Ct); // the new pair carries the connection
                var saAfter = Hex(BindingEnd.SaBinding(a));
                Assert.Equal(saAfter, Hex(BindingEnd.SaBinding(b)));
                Assert.NotEqual(saBefore, saAfter);
                Assert.Equal(saAfter, Hex(IpXfrmSaBinding.Compute(s.Pair.B.Namespace, channelA.Outbound.Spi, channelA.Inbound.Spi)));
                Assert.Equal(endPointBefore, Hex(BindingEnd.EndPoint(a)));
                Assert.Equal(endPointBefore, Hex(BindingEnd.EndPoint(b)));
                Console.WriteLine($"sa-binding rekey: both ends on the new pair after {clock.ElapsedMilliseconds} ms " +
                                  $"(0x{oldA.Outbound.Spi:x8}/0x{oldA.Inbound.Spi:x8} -> 0x{channelA.Outbound.Spi:x8}/0x{channelA.Inbound.Spi:x8})");
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the ends did not both move to the rekeyed pair within 20 s");
            await Task.Delay(200, Ct);
        }
    }

    private static void RequireLab()
    {
        KernelEsp.Require();
        CharonLab.Require();
    }

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}
