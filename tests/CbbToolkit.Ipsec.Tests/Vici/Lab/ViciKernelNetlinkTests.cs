using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici.Lab;

/// <summary>
/// Transport mode with kernel-netlink, charon's normal setup: the IKE SA needs no kernel ESP; the child SA does, so its
/// test runs where the kernel has ESP (User-Mode Linux in CI) and skips on the host kernel.
/// </summary>
public sealed class ViciKernelNetlinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<CharonPair> StartTransportAsync() => CharonPair.StartAsync(
        new CharonPairOptions { Mode = CharonMode.Transport, Kernel = CharonKernel.Netlink, NamespacePrefix = "cbbv-" }, Ct);

    [Fact]
    public async Task Transport_IkeSaEstablishes_WithOrWithoutKernelEsp()
    {
        CharonLab.Require(CharonKernel.Netlink);
        var esp = Esp.Missing is null;
        await using var lab = await StartTransportAsync();
        await using var client = new ViciClient(lab.A.Uri);

        if (esp)
        {
            await client.InitiateAsync("lab", cancellationToken: Ct);
        }
        else
        {
            // No ESP in this kernel: charon cannot add the SAD entries and says so.
            var e = await Assert.ThrowsAsync<ViciCommandException>(() => client.InitiateAsync("lab", cancellationToken: Ct));
            Assert.Contains("CHILD_SA", e.DaemonMessage, StringComparison.Ordinal);
        }

        var ike = Assert.Single(await client.ListIkeSasAsync(cancellationToken: Ct));
        Assert.Equal(("ESTABLISHED", "b.test"), (ike.State, ike.RemoteId));
        Assert.Equal(esp ? 1 : 0, ike.ChildSas.Count(c => c.State == "INSTALLED"));
    }

    [Fact]
    public async Task Transport_ChildSa_InstalledWithSpisAndReqid()
    {
        CharonLab.Require(CharonKernel.Netlink);
        Esp.Require("tests/lab/uml/run.sh --project tests/CbbToolkit.Ipsec.Tests --filter ViciKernelNetlinkTests");
        await using var lab = await StartTransportAsync();
        await using var client = new ViciClient(lab.A.Uri);

        await client.InitiateAsync("lab", cancellationToken: Ct);

        var child = Assert.Single(Assert.Single(await client.ListIkeSasAsync(cancellationToken: Ct)).ChildSas);
        Assert.Equal(("INSTALLED", "TRANSPORT", "ESP"), (child.State, child.Mode, child.Protocol));
        var sas = IpXfrm.States(lab.A.Namespace);
        Assert.Contains(sas, s => (s.Spi, s.RequestId, s.Mode) == (child.OutboundSpi, child.RequestId, "transport"));
        Assert.Contains(sas, s => (s.Spi, s.RequestId, s.Mode) == (child.InboundSpi, child.RequestId, "transport"));
        var peer = await client.FindPeerAsync(child.RequestId, child.InboundSpi, child.OutboundSpi, Ct);
        Assert.Equal("b.test", peer?.RemoteId);
    }
}
