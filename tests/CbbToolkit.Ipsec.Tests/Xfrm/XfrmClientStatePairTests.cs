using System.Net;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Testing.Namespaces;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>
/// Both GETSAs of a pair in one sendmsg, against the host kernel (XFRM without ESP, so no SA exists and the kernel
/// answers each GETSA with ESRCH): it parses both messages of the datagram and answers each under its own sequence
/// number; the client reports the first SA's refusal, reads every reply off the socket, and the socket stays usable.
/// </summary>
public sealed class XfrmClientStatePairTests
{
    private static readonly (IPAddress, uint, XfrmProtocol) First = (IPAddress.Parse("10.0.0.2"), 0x1001, XfrmProtocol.Esp);
    private static readonly (IPAddress, uint, XfrmProtocol) Second = (IPAddress.Parse("10.0.0.1"), 0x2002, XfrmProtocol.Esp);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BothMissing_KernelAnswersEachRequestWithEsrch_UnderItsOwnSequenceNumber()
    {
        using var ns = ScratchNamespace.Create();
        using var channel = new NetlinkChannel(() => XfrmClient.OpenSocket(ns.Name));
        var errors = new List<(int Index, int Errno)>();
        var messages = 0;

        var outcomes = await channel.ExchangeBatchAsync(XfrmRequests.GetStatePair(First, 41, Second, 42),
            (int _, in NetlinkMessageHeader _, ReadOnlySpan<byte> _) => messages++,
            (index, error) =>
            {
                errors.Add((index, error.Errno));
                return new InvalidOperationException($"request {index}");
            },
            Ct, clearReceived: true);

        Assert.Equal(0, messages);
        Assert.Equal([(0, 3), (1, 3)], errors); // ESRCH for each, in request order
        Assert.Equal(["request 0", "request 1"], outcomes.Select(o => o.Failure?.Message));
        Assert.All(outcomes, o => Assert.False(o.Answered));
        Assert.True(channel.ReceiveBuffer.IndexOfAnyExcept((byte)0) < 0, "the receive buffer is not zeroed after the exchange");
    }

    [Fact]
    public async Task BothMissing_ReadStatePairKeys_NoSuchEntryForTheFirst_CallbackNeverCalled_SocketStillInStep()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var calls = 0;

        var e = await Assert.ThrowsAsync<NetlinkException>(() => client.ReadStatePairKeysAsync(First, Second, (_, _) => calls++, Ct));

        Assert.Equal(IpsecError.NoSuchEntry, e.Error);
        Assert.Equal(3, e.Errno);
        Assert.Contains("spi 0x00001001 dst 10.0.0.2", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls);

        // The second reply was read too: the next request on the same socket gets its own answer.
        var next = await Assert.ThrowsAsync<NetlinkException>(() => client.GetStateAsync(IPAddress.Parse("10.0.0.9"), 0x3003, XfrmProtocol.Esp, Ct));
        Assert.Contains("spi 0x00003003 dst 10.0.0.9", next.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<NetlinkException>(() => client.ReadStatePairKeysAsync(Second, First, (_, _) => calls++, Ct));
        Assert.Contains("spi 0x00002002 dst 10.0.0.1", again.Message, StringComparison.Ordinal);
    }
}
