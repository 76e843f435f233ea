using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Resolution.Matching;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;

namespace CbbToolkit.Ipsec.Tests.Resolution;

public sealed class IpsecChannelResolverTests
{
    private const string Local = "192.0.2.1";
    private const string Remote = "192.0.2.2";

    private static readonly IpsecFlow Tcp = Flow(Local, 40000, Remote, 443);

    private static XfrmState[] Pair(uint reqid = 1, uint outSpi = 0x100, uint inSpi = 0x200) =>
        [Sa(Local, Remote, outSpi, reqid), Sa(Remote, Local, inSpi, reqid)];

    [Fact]
    public void TransportPair_Protected_WithBothSasAndNoKeys()
    {
        var r = Resolve(Pair(), TransportPolicies(Local, Remote), Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(IpsecNotProtectedReason.None, r.Reason);
        Assert.Equal(IpsecError.None, r.Error);
        Assert.Equal(0x100u, r.Channel.Outbound.Spi);
        Assert.Equal(0x200u, r.Channel.Inbound.Spi);
        Assert.Equal(Ip(Remote), r.Channel.Outbound.Destination);
        Assert.Equal(XfrmProtocol.Esp, r.Channel.Protocol);
        Assert.Equal(XfrmMode.Transport, r.Channel.Mode);
        Assert.Equal("rfc4106(gcm(aes))", r.Channel.Outbound.AeadAlgorithm);
        Assert.Equal(160, r.Channel.Outbound.AeadKeyBits);
        Assert.True(r.Channel.ProvidesConfidentiality && r.Channel.ProvidesIntegrity);
        Assert.True(r.Channel.IsQopIndeterminate); // the SA selectors are "any"
        Assert.Equal(XfrmPolicyDirection.Out, r.Channel.OutboundPolicy.Direction);
        Assert.Equal(XfrmPolicyDirection.In, r.Channel.InboundPolicy.Direction);
        Assert.DoesNotContain(typeof(XfrmKey), typeof(IpsecSaInfo).GetProperties().Select(p => p.PropertyType));
    }

    [Fact]
    public void UncoveredFlow_NoPolicy()
    {
        var r = Resolve(Pair(), TransportPolicies(Local, Remote), Flow(Local, 40000, "192.0.2.3", 443));

        Assert.False(r.IsProtected);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, r.Reason);
        Assert.Equal(IpsecError.NotFound, r.Error);
        Assert.Equal(IpsecError.NotFound, Assert.Throws<IpsecException>(() => r.GetChannelOrThrow()).Error);
    }

    [Fact]
    public void PoliciesWithoutSas_PolicyWithoutSa_TryAgain()
    {
        var r = Resolve([], TransportPolicies(Local, Remote), Tcp);

        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
        Assert.Equal(IpsecError.TryAgain, r.Error);
        Assert.Contains("reqid 1", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheOutboundSa_PolicyWithoutSaInbound()
    {
        var r = Resolve([Sa(Local, Remote, 0x100)], TransportPolicies(Local, Remote), Tcp);

        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
        Assert.Contains("inbound", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LarvalSa_PolicyWithoutSa_SaysAcquireIsPending()
    {
        var r = Resolve([Sa(Local, Remote, 0), Sa(Remote, Local, 0x200)], TransportPolicies(Local, Remote), Tcp);

        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
        Assert.Contains("ACQUIRE", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowPolicyWithoutTemplates_ClearTextAllowed()
    {
        XfrmPolicy[] policies = [Policy(XfrmPolicyDirection.Out, Local, Remote), Policy(XfrmPolicyDirection.In, Remote, Local)];

        var r = Resolve(Pair(), policies, Tcp);

        Assert.Equal(IpsecNotProtectedReason.ClearTextAllowed, r.Reason);
        Assert.Contains("clear", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockPolicy_Blocked_AccessDenied()
    {
        XfrmPolicy[] policies = [Policy(XfrmPolicyDirection.Out, Local, Remote) with { Action = XfrmPolicyAction.Block }, TransportPolicies(Local, Remote)[1]];

        var r = Resolve(Pair(), policies, Tcp);

        Assert.Equal(IpsecNotProtectedReason.Blocked, r.Reason);
        Assert.Equal(IpsecError.BlockedByPolicy, r.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TwoCoveringPolicies_LowestPriorityValueWins(bool bestFirst)
    {
        var best = Policy(XfrmPolicyDirection.Out, Local, 24, Remote, 24, Esp(reqid: 7)) with { Priority = 10 };
        var worse = Policy(XfrmPolicyDirection.Out, Local, Remote, Esp(reqid: 1)) with { Priority = 20 };
        XfrmPolicy[] policies = bestFirst ? [best, worse, TransportPolicies(Local, Remote)[1]] : [worse, best, TransportPolicies(Local, Remote)[1]];
        XfrmState[] states = [.. Pair(), Sa(Local, Remote, 0x700, reqid: 7)];

        var r = Resolve(states, policies, Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(7u, r.Channel.Outbound.RequestId);
        Assert.Equal(0x700u, r.Channel.Outbound.Spi);
        Assert.Equal(best.Index, r.Channel.OutboundPolicy.Index);
    }

    [Fact]
    public void EqualPriorityDifferentTemplates_AmbiguousFailsClosed()
    {
        var a = Policy(XfrmPolicyDirection.Out, Local, 24, Remote, 24, Esp(reqid: 7));
        var b = Policy(XfrmPolicyDirection.Out, Local, Remote, Esp(reqid: 1));
        XfrmState[] states = [.. Pair(), Sa(Local, Remote, 0x700, reqid: 7)];

        var r = Resolve(states, [a, b, TransportPolicies(Local, Remote)[1]], Tcp);

        Assert.Equal(IpsecNotProtectedReason.Ambiguous, r.Reason);
        Assert.Contains("same priority", r.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.2", 32, true)]
    [InlineData("192.0.2.0", 24, true)]
    [InlineData("192.0.2.128", 25, false)]
    [InlineData("192.0.3.0", 24, false)]
    [InlineData("0.0.0.0", 0, true)]
    public void DestinationPrefix_CoversTheFlowOrNot(string network, int prefix, bool covered)
    {
        XfrmPolicy[] policies =
        [
            Policy(XfrmPolicyDirection.Out, Local, 32, network, prefix, Esp()),
            Policy(XfrmPolicyDirection.In, network, prefix, Local, 32, Esp()),
        ];

        var r = Resolve(Pair(), policies, Tcp);

        Assert.Equal(covered ? IpsecNotProtectedReason.None : IpsecNotProtectedReason.NoPolicy, r.Reason);
    }

    [Theory]
    [InlineData(443, 0xffff, 443, true)]
    [InlineData(443, 0xffff, 80, false)]
    [InlineData(0x0100, 0xff00, 0x01bb, true)] // 256-511
    [InlineData(0x0100, 0xff00, 0x0200, false)]
    [InlineData(0, 0, 12345, true)]
    public void DestinationPortUnderMask_CoversTheFlowOrNot(int port, int mask, int flowPort, bool covered)
    {
        var policies = TransportPolicies(Local, Remote);
        policies[0] = policies[0] with { Selector = policies[0].Selector with { DestinationPort = (ushort)port, DestinationPortMask = (ushort)mask, Protocol = ProtocolType.Tcp } };
        policies[1] = policies[1] with { Selector = policies[1].Selector with { SourcePort = (ushort)port, SourcePortMask = (ushort)mask, Protocol = ProtocolType.Tcp } };

        var r = Resolve(Pair(), policies, Flow(Local, 40000, Remote, flowPort));

        Assert.Equal(covered ? IpsecNotProtectedReason.None : IpsecNotProtectedReason.NoPolicy, r.Reason);
    }

    [Fact]
    public void ProtocolSelector_TcpPolicyDoesNotCoverUdp()
    {
        var policies = TransportPolicies(Local, Remote).Select(p => p with { Selector = p.Selector with { Protocol = ProtocolType.Tcp } }).ToArray();

        Assert.True(Resolve(Pair(), policies, Tcp).IsProtected);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, Resolve(Pair(), policies, Flow(Local, 40000, Remote, 443, ProtocolType.Udp)).Reason);
    }

    [Fact]
    public void OutboundReqid_MustBeEqual_EvenWhenTheTemplateSaysZero()
    {
        // Measured in UML (kernel-lab.md): a template with reqid 0 does not use an SA with reqid 1 outbound.
        var policies = TransportPolicies(Local, Remote, reqid: 0);

        var r = Resolve(Pair(reqid: 1), policies, Tcp);

        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
        Assert.Contains("outbound", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InboundTemplateReqidZero_AcceptsAnyReqid()
    {
        XfrmPolicy[] policies = [TransportPolicies(Local, Remote, reqid: 3)[0], Policy(XfrmPolicyDirection.In, Remote, Local, Esp(reqid: 0))];

        var r = Resolve([Sa(Local, Remote, 0x100, reqid: 3), Sa(Remote, Local, 0x200, reqid: 9)], policies, Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(9u, r.Channel.Inbound.RequestId);
    }

    [Fact]
    public void WrongReqid_PolicyWithoutSa()
    {
        var r = Resolve(Pair(reqid: 6), TransportPolicies(Local, Remote, reqid: 5), Tcp);

        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
    }

    [Fact]
    public void TwoIncongruentInboundSas_AmbiguousFailsClosed()
    {
        // Both would be accepted for this flow (reqid 0 in the template, no SA selectors): the peer could use either.
        XfrmPolicy[] policies = [TransportPolicies(Local, Remote)[0], Policy(XfrmPolicyDirection.In, Remote, Local, Esp(reqid: 0))];
        XfrmState[] states = [.. Pair(), Sa("192.0.2.9", Local, 0x900, reqid: 4)];

        var r = Resolve(states, policies, Tcp);

        Assert.Equal(IpsecNotProtectedReason.Ambiguous, r.Reason);
        Assert.Contains("0x00000900", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InboundSaWhoseSelectorExcludesTheFlow_IsNotACandidate()
    {
        XfrmPolicy[] policies = [TransportPolicies(Local, Remote)[0], Policy(XfrmPolicyDirection.In, Remote, Local, Esp(reqid: 0))];
        var other = Sa("192.0.2.9", Local, 0x900, reqid: 4, selector: XfrmSelector.Between(Ip("192.0.2.9"), Ip(Local)));

        var r = Resolve([.. Pair(), other], policies, Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(0x200u, r.Channel.Inbound.Spi);
    }

    [Fact]
    public void CongruentSasDuringRekey_NewestOutboundWins()
    {
        XfrmState[] states = [.. Pair(), Sa(Local, Remote, 0x101, addTime: 1_700_000_100), Sa(Remote, Local, 0x201, addTime: 1_700_000_100)];

        var r = Resolve(states, TransportPolicies(Local, Remote), Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(0x101u, r.Channel.Outbound.Spi);
        Assert.Equal(0x201u, r.Channel.Inbound.Spi);
    }

    [Fact]
    public void CongruentSasOfOneSecond_TheLastInsertedPairWins_InDumpOrder()
    {
        // The kernel dumps newest first; the add times (seconds) are equal, as when charon rekeys within a second of the first pair.
        XfrmState[] states = [Sa(Remote, Local, 0x201), Sa(Local, Remote, 0x101), .. Pair()];

        var r = Resolve(states, TransportPolicies(Local, Remote), Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal((0x101u, 0x201u), (r.Channel.Outbound.Spi, r.Channel.Inbound.Spi));
    }

    [Fact]
    public void CongruentSasOfOneSecond_TheLastAddedByEventsWins_AndAnUpdateKeepsItsPlace()
    {
        var rekeyed = XfrmSnapshot.Create(Pair(), TransportPolicies(Local, Remote))
            .WithState(Sa(Remote, Local, 0x201)) // charon's rekey on the initiator: new inbound (UPDSA of its ALLOCSPI), new outbound
            .WithState(Sa(Local, Remote, 0x101));

        var r = ChannelMatcher.Resolve(rekeyed, Tcp, null);
        var updated = ChannelMatcher.Resolve(rekeyed.WithState(Sa(Remote, Local, 0x200)), Tcp, null); // UPDSA of the old one in place

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal((0x101u, 0x201u), (r.Channel.Outbound.Spi, r.Channel.Inbound.Spi));
        Assert.Equal((0x101u, 0x201u), (updated.Channel!.Outbound.Spi, updated.Channel.Inbound.Spi));
    }

    [Fact]
    public void IncongruentOutboundSasAddedTheSameSecond_Ambiguous()
    {
        XfrmState[] states = [.. Pair(), Sa(Local, Remote, 0x101, aead: "rfc4106(gcm(aes))") with { Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(new byte[36]), 128) }];

        var r = Resolve(states, TransportPolicies(Local, Remote), Tcp);

        Assert.Equal(IpsecNotProtectedReason.Ambiguous, r.Reason);
    }

    [Fact]
    public void Ipv6Transport_Protected()
    {
        const string l = "2001:db8::1", p = "2001:db8::2";
        var r = Resolve([Sa(l, p, 0x600), Sa(p, l, 0x601)], TransportPolicies(l, p), Flow(l, 5000, p, 443));

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(AddressFamily.InterNetworkV6, r.Channel.Outbound.Destination.AddressFamily);
        Assert.Equal(0x601u, r.Channel.Inbound.Spi);
    }

    [Fact]
    public void Ipv4PolicyDoesNotCoverAnIpv6Flow()
    {
        var policies = new[] { Policy(XfrmPolicyDirection.Out, "0.0.0.0", 0, "0.0.0.0", 0, Esp()), Policy(XfrmPolicyDirection.In, "0.0.0.0", 0, "0.0.0.0", 0, Esp()) };

        var r = Resolve([], policies, Flow("2001:db8::1", 5000, "2001:db8::2", 443));

        Assert.Equal(IpsecNotProtectedReason.NoPolicy, r.Reason);
    }

    [Fact]
    public void DualStackMappedAddresses_ResolveAsIpv4()
    {
        var flow = new IpsecFlow(new IPEndPoint(Ip(Local).MapToIPv6(), 40000), new IPEndPoint(Ip(Remote).MapToIPv6(), 443), ProtocolType.Tcp);

        var r = Resolve(Pair(), TransportPolicies(Local, Remote), flow);

        Assert.Equal(AddressFamily.InterNetwork, flow.AddressFamily);
        Assert.True(r.IsProtected, r.Message);
    }

    [Fact]
    public void TunnelMode_SubnetPoliciesAndTemplateEndpoints()
    {
        const string gwA = "198.51.100.1", gwB = "198.51.100.2";
        XfrmPolicy[] policies =
        [
            Policy(XfrmPolicyDirection.Out, "10.1.0.0", 24, "10.2.0.0", 24, Esp(5, XfrmMode.Tunnel, gwA, gwB)),
            Policy(XfrmPolicyDirection.In, "10.2.0.0", 24, "10.1.0.0", 24, Esp(5, XfrmMode.Tunnel, gwB, gwA)),
        ];
        XfrmState[] states =
        [
            Sa(gwA, gwB, 0x500, reqid: 5, mode: XfrmMode.Tunnel),
            Sa(gwB, gwA, 0x501, reqid: 5, mode: XfrmMode.Tunnel),
            Sa(gwB, "198.51.100.3", 0x502, reqid: 5, mode: XfrmMode.Tunnel), // other end points: not ours
        ];

        var r = Resolve(states, policies, Flow("10.1.0.7", 40000, "10.2.0.9", 22));

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(XfrmMode.Tunnel, r.Channel.Mode);
        Assert.Equal((0x500u, 0x501u), (r.Channel.Outbound.Spi, r.Channel.Inbound.Spi));
        Assert.Equal(Ip(gwB), r.Channel.Outbound.Destination);
    }

    [Fact]
    public void TunnelTemplate_TransportSaDoesNotMatch()
    {
        XfrmPolicy[] policies =
        [
            Policy(XfrmPolicyDirection.Out, Local, Remote, Esp(1, XfrmMode.Tunnel, Local, Remote)),
            Policy(XfrmPolicyDirection.In, Remote, Local, Esp(1, XfrmMode.Tunnel, Remote, Local)),
        ];

        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, Resolve(Pair(), policies, Tcp).Reason);
    }

    [Fact]
    public void SocketPolicyInTheDump_IsNotTiedToTheFlow()
    {
        XfrmPolicy[] policies =
        [
            Policy(XfrmPolicyDirection.SocketOut, "0.0.0.0", 0, "0.0.0.0", 0, Esp()),
            Policy(XfrmPolicyDirection.SocketIn, "0.0.0.0", 0, "0.0.0.0", 0, Esp()),
        ];

        Assert.Equal(IpsecNotProtectedReason.NoPolicy, Resolve(Pair(), policies, Tcp).Reason);
    }

    [Fact]
    public void SuppliedSocketPolicies_WinOverTheSpd()
    {
        // The SPD says clear; the socket's own policies (which the kernel checks first) require ESP reqid 9.
        XfrmPolicy[] spd = [Policy(XfrmPolicyDirection.Out, Local, Remote), Policy(XfrmPolicyDirection.In, Remote, Local)];
        var socket = new IpsecSocketPolicies(
            Policy(XfrmPolicyDirection.SocketOut, "0.0.0.0", 0, "0.0.0.0", 0, Esp(9)) with { Priority = 60000 },
            Policy(XfrmPolicyDirection.SocketIn, "0.0.0.0", 0, "0.0.0.0", 0, Esp(9)) with { Priority = 60000 });

        Assert.Equal(IpsecNotProtectedReason.ClearTextAllowed, Resolve(Pair(9), spd, Tcp).Reason);
        var r = Resolve(Pair(9), spd, Tcp, socket);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(XfrmPolicyDirection.SocketOut, r.Channel.OutboundPolicy.Direction);
        Assert.Equal(9u, r.Channel.Inbound.RequestId);
    }

    [Fact]
    public void SocketPolicyOfAnotherFamily_FallsBackToTheSpd()
    {
        var socket = new IpsecSocketPolicies(Policy(XfrmPolicyDirection.SocketOut, "::", 0, "::", 0, Esp(9, ipv6: true)), null);

        var r = Resolve(Pair(), TransportPolicies(Local, Remote), Tcp, socket);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(XfrmPolicyDirection.Out, r.Channel.OutboundPolicy.Direction);
    }

    [Fact]
    public void SaSelectorsNarrowedToTheFiveTuple_QopDeterminate()
    {
        var outSel = XfrmSelector.Between(Ip(Local), Ip(Remote), ProtocolType.Tcp, 40000, 443);
        var inSel = XfrmSelector.Between(Ip(Remote), Ip(Local), ProtocolType.Tcp, 443, 40000);
        XfrmState[] states = [Sa(Local, Remote, 0x100, selector: outSel), Sa(Remote, Local, 0x200, selector: inSel)];

        var r = Resolve(states, TransportPolicies(Local, Remote), Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.False(r.Channel.IsQopIndeterminate);
        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, Resolve(states, TransportPolicies(Local, Remote), Flow(Local, 40001, Remote, 443)).Reason);
    }

    [Fact]
    public void HostPairSaSelectors_QopIndeterminate()
    {
        XfrmState[] states =
        [
            Sa(Local, Remote, 0x100, selector: XfrmSelector.Between(Ip(Local), Ip(Remote))),
            Sa(Remote, Local, 0x200, selector: XfrmSelector.Between(Ip(Remote), Ip(Local))),
        ];

        var r = Resolve(states, TransportPolicies(Local, Remote), Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.True(r.Channel.IsQopIndeterminate);
    }

    [Fact]
    public void OptionalInboundEsp_ClearTextAllowed()
    {
        XfrmPolicy[] policies = [TransportPolicies(Local, Remote)[0], Policy(XfrmPolicyDirection.In, Remote, Local, Esp(optional: true))];

        var r = Resolve(Pair(), policies, Tcp);

        Assert.Equal(IpsecNotProtectedReason.ClearTextAllowed, r.Reason);
        Assert.Contains("level use", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalCompressionBeforeEsp_BundleHasBoth()
    {
        var comp = new XfrmTemplate { Protocol = XfrmProtocol.Comp, IsOptional = true, RequestId = 1 };
        XfrmPolicy[] policies =
        [
            Policy(XfrmPolicyDirection.Out, Local, Remote, comp, Esp()),
            Policy(XfrmPolicyDirection.In, Remote, Local, comp, Esp()),
        ];

        var r = Resolve(Pair(), policies, Tcp);

        Assert.True(r.IsProtected, r.Message);
        Assert.Single(r.Channel.OutboundBundle); // no IPComp SA: optional, skipped
        Assert.Equal(XfrmProtocol.Esp, r.Channel.Outbound.Protocol);
    }

    [Fact]
    public void MarkedPolicyThatCouldWin_Ambiguous()
    {
        var policies = TransportPolicies(Local, Remote).ToList();
        policies.Add(Policy(XfrmPolicyDirection.Out, Local, Remote, Esp(4)) with { Priority = 1, Mark = new XfrmMark(7, 0xff) });

        var r = Resolve(Pair(), policies, Tcp);

        Assert.Equal(IpsecNotProtectedReason.Ambiguous, r.Reason);
        Assert.Contains("mark", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkedPolicyOfWorsePriority_DoesNotMatter()
    {
        var policies = TransportPolicies(Local, Remote).ToList();
        policies.Add(Policy(XfrmPolicyDirection.Out, Local, Remote, Esp(4)) with { Priority = 5000, Mark = new XfrmMark(7, 0xff) });

        Assert.True(Resolve(Pair(), policies, Tcp).IsProtected);
    }

    [Fact]
    public void ForwardPolicies_AreIgnoredForLocalFlows()
    {
        XfrmPolicy[] policies = [Policy(XfrmPolicyDirection.Forward, Local, Remote, Esp()), TransportPolicies(Local, Remote)[1]];

        Assert.Equal(IpsecNotProtectedReason.NoPolicy, Resolve(Pair(), policies, Tcp).Reason);
    }
}
