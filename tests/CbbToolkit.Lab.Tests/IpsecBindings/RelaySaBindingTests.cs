using System.Net;
using System.Security.Cryptography;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// An active man in the middle at the IPsec layer (<see cref="TransparentRelay"/>: its own SA pair with each end, the
/// TCP relayed, the same 5-tuple, SPIs, addresses and algorithms on both legs): A and B compute different
/// ipsec-sa-binding values, each equal to what the relay's namespace facing it computes. The control shows what the
/// value rests on: a relay that knows one set of keys for both legs (manual keying lets it; with IKE each leg's keys come
/// from its own Diffie-Hellman exchange) would make them equal.
/// </summary>
public sealed class RelaySaBindingTests
{
    private const int EchoBytes = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RelayWithItsOwnSaPairPerLeg_ValuesOnAAndBDiffer()
    {
        KernelEsp.Require();
        var (a, b, ra, rb) = await RunAsync(sameKeysOnBothLegs: false);

        Assert.NotEqual(a, b);
        Assert.Equal(a, ra); // each end shares its value with the relay only
        Assert.Equal(b, rb);
    }

    [Fact]
    public async Task Control_RelayUsingOneKeySetForBothLegs_ValuesEqual_TheValueRestsOnTheKeys()
    {
        KernelEsp.Require();
        var (a, b, _, _) = await RunAsync(sameKeysOnBothLegs: true);

        Assert.Equal(a, b);
    }

    private static async Task<(string A, string B, string RelayA, string RelayB)> RunAsync(bool sameKeysOnBothLegs)
    {
        // TwoHosts' addresses: A and RB hold 10.99.0.1, RA and B 10.99.0.2.
        var leg = new KeyedSaPair(IPAddress.Parse("10.99.0.1"), IPAddress.Parse("10.99.0.2"));
        byte[][] left = [RandomNumberGenerator.GetBytes(20), RandomNumberGenerator.GetBytes(20)];
        byte[][] right = sameKeysOnBothLegs ? left : [RandomNumberGenerator.GetBytes(20), RandomNumberGenerator.GetBytes(20)];
        using var relay = await TransparentRelay.StartAsync(leg, left, right, Ct);
        var beforeA = IpXfrm.Counters(relay.A.Namespace);
        var beforeB = IpXfrm.Counters(relay.B.Namespace);

        await relay.EchoAsync(EchoBytes, Ct);

        // Both legs carried the echo over ESP, and A and B see one and the same 5-tuple.
        var sentByA = IpXfrm.Counters(relay.A.Namespace)[leg.SpiAToB].Bytes - beforeA[leg.SpiAToB].Bytes;
        var receivedByB = IpXfrm.Counters(relay.B.Namespace)[leg.SpiAToB].Bytes - beforeB[leg.SpiAToB].Bytes;
        Assert.True(sentByA >= EchoBytes && receivedByB >= EchoBytes, $"ESP counted {sentByA} bytes out of A, {receivedByB} into B");
        var flowA = BindingEnd.Of(relay.Client);
        var flowB = BindingEnd.Of(relay.Server);
        Assert.Equal(flowA, BindingEnd.Mirror(flowB));

        var (channelA, a) = await BindingEnd.ConvertAsync(relay.A.Namespace, flowA, Ct);
        var (channelB, b) = await BindingEnd.ConvertAsync(relay.B.Namespace, flowB, Ct);
        var (_, ra) = await BindingEnd.ConvertAsync(relay.RelayA.Namespace, BindingEnd.Mirror(flowA), Ct);
        var (_, rb) = await BindingEnd.ConvertAsync(relay.RelayB.Namespace, BindingEnd.Of(relay.RelayToB), Ct);
        Assert.Equal((channelA.Outbound.Spi, channelA.Inbound.Spi), (channelB.Inbound.Spi, channelB.Outbound.Spi));
        Assert.Equal((channelA.Outbound.Source, channelA.Outbound.Destination), (channelB.Inbound.Source, channelB.Inbound.Destination));
        return (Hex(BindingEnd.SaBinding(a)), Hex(BindingEnd.SaBinding(b)), Hex(BindingEnd.SaBinding(ra)), Hex(BindingEnd.SaBinding(rb)));
    }

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}
