using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// What happens to SA keys on the way to ipsec-sa-binding, against a kernel that holds them. The netlink receive buffer
/// of a fresh <see cref="XfrmClient"/> is inspected through its test hook (<c>XfrmClient.ReceiveBuffer</c>): during the
/// key callback it holds the key (so the inspection can see one), and once the exchange ended, returned or thrown, it
/// is all zeros; the value and the channel information never contain key octets. A kernel that hands out no key
/// material (a null cipher without integrity, or an all-zero key) gives no value, with the reason keys-unreadable.
/// </summary>
public sealed class SaKeyHandlingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadStateKeys_KeyInTheBufferDuringTheCallback_AllZerosAfter_EvenWhenTheCallbackThrows()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var pair = new KeyedSaPair(hosts.A.Address4, hosts.B.Address4);
        var key = RandomNumberGenerator.GetBytes(20);
        await pair.AddAsync([hosts.A], key, RandomNumberGenerator.GetBytes(20), Ct);

        using var kernel = XfrmClient.Open(hosts.A.Namespace);
        var (sawKey, keyInBuffer) = (false, false);
        await kernel.ReadStateKeysAsync(pair.B, pair.SpiAToB, XfrmProtocol.Esp, keys =>
        {
            sawKey = keys.Aead.Key.SequenceEqual(key);
            keyInBuffer = kernel.ReceiveBuffer.IndexOf(key) >= 0;
        }, Ct);

        Assert.True(sawKey, "the callback did not get the SA's key");
        Assert.True(keyInBuffer, "the key was not in the receive buffer during the callback: the inspection below would prove nothing");
        Assert.True(kernel.ReceiveBuffer.IndexOfAnyExcept((byte)0) < 0, "the receive buffer is not all zeros after the exchange");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            kernel.ReadStateKeysAsync(pair.B, pair.SpiAToB, XfrmProtocol.Esp, _ => throw new InvalidOperationException("callback failed"), Ct));
        Assert.Equal("callback failed", thrown.Message);
        Assert.True(kernel.ReceiveBuffer.IndexOfAnyExcept((byte)0) < 0, "the receive buffer is not all zeros after a callback threw");
    }

    [Fact]
    public async Task SaBinding_LeavesNoKeyInTheBufferTheValueOrTheChannelInfo()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var pair = new KeyedSaPair(hosts.A.Address4, hosts.B.Address4);
        var (keyOut, keyIn) = (RandomNumberGenerator.GetBytes(20), RandomNumberGenerator.GetBytes(20));
        await pair.AddAsync([hosts.A], keyOut, keyIn, Ct);
        await pair.AddPoliciesAsync(hosts.A, pair.A, Ct);
        var flow = new IpsecFlow(new IPEndPoint(pair.A, 40000), new IPEndPoint(pair.B, 443), ProtocolType.Tcp);

        using var kernel = XfrmClient.Open(hosts.A.Namespace);
        var channel = (await IpsecChannelResolver.ResolveOnceAsync(kernel, flow, cancellationToken: Ct)).GetChannelOrThrow();
        // The resolver's SA dump carried the keys too (GETSA dumps hold them): zeroed as well (the policy dump after it is
        // still in the buffer, so look for the keys themselves).
        Assert.True(kernel.ReceiveBuffer.IndexOf(keyOut.AsSpan(0, 8)) < 0 && kernel.ReceiveBuffer.IndexOf(keyIn.AsSpan(0, 8)) < 0,
            "a key is still in the receive buffer after the resolver's SA dump");
        using var fresh = XfrmClient.Open(hosts.A.Namespace);
        var conversion = await IpsecChannelInfoConverter.FromChannelAsync(channel, Channels(), fresh, cancellationToken: Ct);

        var value = BindingEnd.SaBinding(conversion);
        Assert.True(fresh.ReceiveBuffer.IndexOfAnyExcept((byte)0) < 0, "the receive buffer is not all zeros after the binding was computed");
        var serialized = conversion.Info.ToBytes();
        foreach (var k in new[] { keyOut, keyIn })
        {
            Assert.True(serialized.AsSpan().IndexOf(k.AsSpan(0, 8)) < 0, "a key is in the serialized channel information");
            Assert.True(value.AsSpan().IndexOf(k.AsSpan(0, 4)) < 0, "key octets appear in the value");
        }

        Assert.Equal("present (32 octets)", conversion.SaBinding!.ToString());
    }

    [Theory]
    [InlineData("null-cipher")]
    [InlineData("zero-key")]
    public async Task NoKeyMaterialFromTheKernel_SaBindingAbsent_KeysUnreadable(string kind)
    {
        KernelEsp.Require();
        var algorithm = kind == "null-cipher" ? "enc ecb(cipher_null) \"\"" : $"aead rfc4106(gcm(aes)) 0x{new string('0', 40)} 128";
        using var hosts = new TwoHosts((h, self) => self != h.A ? string.Empty :
            $"xfrm state add src {h.A.Address4} dst {h.B.Address4} proto esp spi 0x3001 reqid 35 mode transport {algorithm}\n" +
            $"xfrm state add src {h.B.Address4} dst {h.A.Address4} proto esp spi 0x3002 reqid 35 mode transport {algorithm}\n" +
            $"xfrm policy add src {h.A.Address4} dst {h.B.Address4} proto tcp dir out tmpl proto esp reqid 35 mode transport\n" +
            $"xfrm policy add src {h.B.Address4} dst {h.A.Address4} proto tcp dir in tmpl proto esp reqid 35 mode transport\n");
        var flow = new IpsecFlow(new IPEndPoint(hosts.A.Address4, 40000), new IPEndPoint(hosts.B.Address4, 443), ProtocolType.Tcp);

        var (_, conversion) = await BindingEnd.ConvertAsync(hosts.A.Namespace, flow, Ct);

        Assert.Equal(IpsecBindingAbsence.KeysUnreadable, conversion.SaBinding!.Absence);
        Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecSaBinding));
    }

    private static CbbToolkit.Ipsec.Policies.IpsecPolicy Channels() =>
        CbbToolkit.Ipsec.Policies.IpsecPolicy.Default with { ChannelBindings = IpsecChannelBindings.IpsecSaBinding };
}
