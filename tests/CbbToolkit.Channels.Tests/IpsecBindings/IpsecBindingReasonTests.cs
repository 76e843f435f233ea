using System.Security.Cryptography;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Channels.Tests.DraftApi;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Namespaces;
using Xunit;

namespace CbbToolkit.Channels.Tests.IpsecBindings;

/// <summary>
/// Why a binding value is absent, on the host kernel (it holds no ESP SA, so the channel is the resolver's answer over
/// the in-memory model of <see cref="EspModel"/>, and the keys are asked of a real kernel in a namespace of the test):
/// no CAP_NET_ADMIN, no such SA, no XFRM client, a policy that does not ask, no IKE peer or no public keys - each
/// leaves the value out with its documented reason and puts nothing into ChannelInfo. Keys that the kernel does not hand
/// out, and the zeroing of the key buffer, need a kernel with ESP: tests/CbbToolkit.Lab.Tests/IpsecBindings.
/// </summary>
public sealed class IpsecBindingReasonTests
{
    private static readonly IpsecPolicy Both =
        IpsecPolicy.Default with { ChannelBindings = IpsecChannelBindings.IpsecEndPoint | IpsecChannelBindings.IpsecSaBinding };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoCapNetAdmin_SaBindingAbsent_NoPrivilege()
    {
        using var ns = ScratchNamespace.Create("cbbb-");
        using var kernel = XfrmClient.Open(ns.Name);
        var channel = await ChannelAsync(null);

        // The GETSA is sent on the thread without the capability (the send completes synchronously there).
        var result = WithoutCapability.Run(WithoutCapability.NetAdmin, () => IpsecSaBinding.ComputeAsync(kernel, channel, Ct).GetAwaiter().GetResult());
        var conversion = WithoutCapability.Run(WithoutCapability.NetAdmin,
            () => IpsecChannelInfoConverter.FromChannelAsync(channel, Both, kernel, cancellationToken: Ct).GetAwaiter().GetResult());

        Assert.Equal(IpsecBindingAbsence.NoPrivilege, result.Absence);
        Assert.Contains("CAP_NET_ADMIN", result.Message, StringComparison.Ordinal);
        Assert.Null(result.Value);
        Assert.Equal(IpsecBindingAbsence.NoPrivilege, conversion.SaBinding!.Absence);
        Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecSaBinding));
        // With the capability the same kernel answers: there is no such SA (the host kernel holds none).
        Assert.Equal(IpsecBindingAbsence.NoSuchSa, (await IpsecSaBinding.ComputeAsync(kernel, channel, Ct)).Absence);
    }

    [Fact]
    public async Task NoSuchSaInTheKernel_SaBindingAbsent_NoSuchSa_AsIpSays()
    {
        using var ns = ScratchNamespace.Create("cbbb-");
        using var kernel = XfrmClient.Open(ns.Name);
        var channel = await ChannelAsync(null);

        var conversion = await IpsecChannelInfoConverter.FromChannelAsync(channel, Both, kernel, cancellationToken: Ct);

        Assert.Equal(IpsecBindingAbsence.NoSuchSa, conversion.SaBinding!.Absence);
        Assert.Contains($"0x{channel.Outbound.Spi:x8}", conversion.SaBinding.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecSaBinding));
        Assert.True(conversion.Info.Contains(ChannelAttributeType.IpsecOutboundSpi)); // the rest of the channel is there
        // iproute2 asks the same kernel the same question and gets the same answer.
        var ip = ns.TryIp("xfrm", "state", "get", "src", channel.Outbound.Source.ToString(), "dst", channel.Outbound.Destination.ToString(),
            "proto", "esp", "spi", $"0x{channel.Outbound.Spi:x8}");
        Assert.False(ip.Succeeded);
        Assert.Contains("No such process", ip.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoXfrmClient_SaBindingAbsent_KernelError()
    {
        var conversion = await IpsecChannelInfoConverter.FromChannelAsync(await ChannelAsync(null), Both, kernel: null, cancellationToken: Ct);

        Assert.Equal(IpsecBindingAbsence.KernelError, conversion.SaBinding!.Absence);
        Assert.Contains("No XFRM client", conversion.SaBinding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyNotAskingForTheFlags_NeitherComputed_NoKernelRequest()
    {
        using var ns = ScratchNamespace.Create("cbbb-");
        using var kernel = XfrmClient.Open(ns.Name);
        var channel = await ChannelAsync(Peer(EspModel.NewPublicKey(), EspModel.NewPublicKey()));
        var tlsOnly = IpsecPolicy.Default with { ChannelBindings = ~(IpsecChannelBindings.IpsecEndPoint | IpsecChannelBindings.IpsecSaBinding) };
        var endPointOnly = IpsecPolicy.Default with { ChannelBindings = IpsecChannelBindings.IpsecEndPoint };

        var none = await IpsecChannelInfoConverter.FromChannelAsync(channel, tlsOnly with { RequireChannelBinding = true }, kernel, cancellationToken: Ct);
        // Asked of a kernel without the capability: had the SA binding been computed, its reason would be NoPrivilege.
        var onlyEndPoint = WithoutCapability.Run(WithoutCapability.NetAdmin,
            () => IpsecChannelInfoConverter.FromChannelAsync(channel, endPointOnly, kernel, cancellationToken: Ct).GetAwaiter().GetResult());

        Assert.Null(none.EndPoint);
        Assert.Null(none.SaBinding);
        Assert.False(none.Info.Contains(ChannelAttributeType.IpsecEndPointSha256));
        Assert.False(none.Info.Contains(ChannelAttributeType.IpsecSaBinding));
        Assert.Null(onlyEndPoint.SaBinding);
        Assert.False(onlyEndPoint.Info.Contains(ChannelAttributeType.IpsecSaBinding));
        Assert.True(onlyEndPoint.EndPoint!.HasValue);
        Assert.True(onlyEndPoint.Info.Contains(ChannelAttributeType.IpsecEndPointSha256));
    }

    [Fact]
    public async Task RequiredBindingButNoneComputable_NotSupported()
    {
        using var ns = ScratchNamespace.Create("cbbb-");
        using var kernel = XfrmClient.Open(ns.Name);
        var channel = await ChannelAsync(null);

        var e = await Assert.ThrowsAsync<IpsecException>(() =>
            IpsecChannelInfoConverter.FromChannelAsync(channel, Both with { RequireChannelBinding = true }, kernel, cancellationToken: Ct));

        Assert.Equal(IpsecError.NotSupported, e.Error);
        Assert.Contains("no key manager named it", e.Message, StringComparison.Ordinal); // the end point's reason
        Assert.Contains("no such SA", e.Message, StringComparison.Ordinal); // the SA binding's
    }

    [Fact]
    public async Task NoIkePeer_EndPointAbsent_NoPeer()
    {
        var channel = await ChannelAsync(null);

        var result = IpsecEndPointBinding.Compute(channel);

        Assert.Equal(IpsecBindingAbsence.NoPeer, result.Absence);
        Assert.Equal(IpsecPeerStatus.Unknown, channel.PeerStatus);
        Assert.DoesNotContain("present", result.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, IpsecBindingAbsence> PeerCases => new()
    {
        { "psk", IpsecBindingAbsence.NotPublicKeyAuthentication },
        { "local-psk", IpsecBindingAbsence.NotPublicKeyAuthentication },
        { "no-peer-key", IpsecBindingAbsence.PeerKeyUnknown },
        { "no-local-key", IpsecBindingAbsence.LocalKeyUnknown },
        { "same-key", IpsecBindingAbsence.SameKeyBothEnds },
    };

    [Theory]
    [MemberData(nameof(PeerCases))]
    public async Task PeerWithoutTwoDistinctPublicKeys_EndPointAbsent_WithTheReason(string situation, IpsecBindingAbsence expected)
    {
        var (local, remote) = (EspModel.NewPublicKey(), EspModel.NewPublicKey());
        var peer = situation switch
        {
            "psk" => Peer(local, remote, remoteMethod: IpsecAuthenticationMethod.PresharedKey),
            "local-psk" => Peer(local, remote, localMethod: IpsecAuthenticationMethod.PresharedKey),
            "no-peer-key" => Peer(local, null),
            "no-local-key" => Peer(null, remote),
            _ => Peer(remote, remote),
        };
        var channel = await ChannelAsync(peer);

        var conversion = await IpsecChannelInfoConverter.FromChannelAsync(channel, Both with { ChannelBindings = IpsecChannelBindings.IpsecEndPoint },
            kernel: null, cancellationToken: Ct);

        Assert.Equal(expected, conversion.EndPoint!.Absence);
        Assert.False(string.IsNullOrWhiteSpace(conversion.EndPoint.Message));
        Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecEndPointSha256));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TwoPublicKeys_EndPointIsXorOfTheirSha256_WhoeverInitiated(bool localInitiated)
    {
        var (local, remote) = (EspModel.NewPublicKey(), EspModel.NewPublicKey());
        var channel = await ChannelAsync(Peer(local, remote, localInitiator: localInitiated));
        var expected = SHA256.HashData(local).Zip(SHA256.HashData(remote), (x, y) => (byte)(x ^ y)).ToArray();

        var result = IpsecEndPointBinding.Compute(channel);

        Assert.Equal(expected, result.Value!.Value.ToArray());
        Assert.Equal("present (32 octets)", result.ToString()); // never the value
    }

    private static IpsecPeer Peer(byte[]? local, byte[]? remote, IpsecAuthenticationMethod remoteMethod = IpsecAuthenticationMethod.RawPublicKey,
        IpsecAuthenticationMethod localMethod = IpsecAuthenticationMethod.RawPublicKey, bool localInitiator = true) => new()
        {
            RemoteId = "b.test",
            LocalId = "a.test",
            AuthenticationMethod = remoteMethod,
            LocalAuthenticationMethod = localMethod,
            PublicKey = remote,
            LocalPublicKey = local,
            IsLocalInitiator = localInitiator,
        };

    // The resolver's channel over the model's SA pair; the peer source names `peer`, or nobody.
    private static async Task<IpsecChannel> ChannelAsync(IpsecPeer? peer)
    {
        await using var cache = EspModel.Cache();
        var resolver = new IpsecChannelResolver(cache, new EspModel.KeyManager(peer));
        return (await resolver.ResolveAsync(EspModel.Flow(), cancellationToken: Ct)).GetChannelOrThrow();
    }
}
