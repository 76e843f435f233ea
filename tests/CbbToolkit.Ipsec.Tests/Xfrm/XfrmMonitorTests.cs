using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>Events for changes made by <c>ip</c> (the reference actor), received by our monitor in the same namespace.</summary>
public sealed class XfrmMonitorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PolicyAddUpdateDeleteByIp_EventsCarryThePolicy()
    {
        using var ns = ScratchNamespace.Create();
        using var monitor = XfrmMonitor.Open(ns.Name);
        ns.IpLine("xfrm policy add src 10.7.0.1/32 dst 10.7.0.2/32 proto tcp dport 443 dir out priority 3 tmpl proto esp reqid 9 mode transport");
        ns.IpLine("xfrm policy update src 10.7.0.1/32 dst 10.7.0.2/32 proto tcp dport 443 dir out priority 4 tmpl proto ah reqid 10 mode transport");
        ns.IpLine("xfrm policy delete src 10.7.0.1/32 dst 10.7.0.2/32 proto tcp dport 443 dir out");

        var added = Assert.IsType<XfrmPolicyEvent>(await Next(monitor));
        var updated = Assert.IsType<XfrmPolicyEvent>(await Next(monitor));
        var deleted = Assert.IsType<XfrmPolicyEvent>(await Next(monitor));
        Assert.Equal([XfrmChange.Added, XfrmChange.Updated, XfrmChange.Deleted], [added.Change, updated.Change, deleted.Change]);

        var selector = XfrmSelector.Between(IPAddress.Parse("10.7.0.1"), IPAddress.Parse("10.7.0.2"), ProtocolType.Tcp, 0, 443);
        Assert.Equal(selector, added.Policy.Selector);
        Assert.Equal((3u, XfrmProtocol.Esp, 9u), (added.Policy.Priority, added.Policy.Templates.Single().Protocol, added.Policy.Templates[0].RequestId));
        Assert.Equal((4u, XfrmProtocol.Ah, 10u), (updated.Policy.Priority, updated.Policy.Templates.Single().Protocol, updated.Policy.Templates[0].RequestId));
        Assert.Equal(updated.Policy with { Current = deleted.Policy.Current }, deleted.Policy);
    }

    [Fact]
    public async Task PolicyFlushByIp_FlushEvent()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine("xfrm policy add src 10.7.0.1/32 dst 10.7.0.2/32 dir in");
        using var monitor = XfrmMonitor.Open(ns.Name);
        ns.IpLine("xfrm policy flush"); // the kernel announces a flush only when it removed something

        Assert.Equal(new XfrmFlushEvent(true, null), await Next(monitor));
    }

    [Fact]
    public async Task MonitorAsync_StreamsUntilCancelled()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<XfrmEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in client.MonitorAsync(cts.Token))
            {
                seen.Add(e);
                if (seen.Count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        }, Ct);

        // The stream subscribes when enumeration starts and says nothing when it has: keep changing the kernel (paced,
        // bounded) until two events got through. Real time only paces the changes; no assertion depends on it.
        for (var i = 0; !reading.IsCompleted && i < 100; i++)
        {
            ns.IpLine($"xfrm policy add src 10.8.0.{i}/32 dst 10.8.1.1/32 dir in");
            await Task.Delay(20, Ct);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, e => Assert.Equal(XfrmChange.Added, Assert.IsType<XfrmPolicyEvent>(e).Change));
    }

    [Fact]
    public async Task SlowReader_LosesEvents_NoBufferSpaceThenKeepsWorking()
    {
        using var ns = ScratchNamespace.Create();
        using var monitor = XfrmMonitor.Open(ns.Name, receiveBufferSize: 4096);
        using var client = XfrmClient.Open(ns.Name);
        for (var i = 0; i < 200; i++)
        {
            await client.AddPolicyAsync(new XfrmPolicy
            {
                Selector = XfrmSelector.Between(IPAddress.Parse("10.9.0.1"), new IPAddress([10, 9, 1, (byte)i])),
                Direction = XfrmPolicyDirection.Out,
            }, Ct);
        }

        var e = await Assert.ThrowsAsync<IpsecException>(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await Next(monitor);
            }
        });
        Assert.Equal(IpsecError.NoBufferSpace, e.Error);
        Assert.Contains("re-read", e.Message, StringComparison.Ordinal);


        // The error is reported once; the events that did fit are still queued and readable.
        Assert.Equal(XfrmChange.Added, Assert.IsType<XfrmPolicyEvent>(await Next(monitor)).Change);
    }

    internal static async Task<XfrmEvent> Next(XfrmMonitor monitor)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10)); // a guard against hanging, not a timing assertion
        return await monitor.ReadAsync(timeout.Token);
    }
}
