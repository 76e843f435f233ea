using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Timing;
using M = CbbToolkit.Ipsec.Xfrm.XfrmMessageType;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// The kernel's SA and policy databases over NETLINK_XFRM, with our own codec. One request is in flight at a time per
/// client; use several clients for parallel work. Every call needs CAP_NET_ADMIN in the client's network namespace,
/// reads included. Errors are <see cref="NetlinkException"/>s with the kernel's errno and the cause spelled out.
/// </summary>
public sealed class XfrmClient : IDisposable
{
    internal const int NetlinkXfrm = 6;

    private readonly NetlinkChannel _channel;
    private readonly TimeProvider _time;
    private int _sequence = Random.Shared.Next();
    private TimeSpan _requestTimeout = TimeSpan.FromSeconds(30);

    private XfrmClient(string? networkNamespace, TimeProvider? timeProvider)
    {
        NetworkNamespaceName = networkNamespace;
        _time = timeProvider ?? TimeProvider.System;
        _channel = new NetlinkChannel(() => OpenSocket(networkNamespace));
    }

    /// <summary>The named network namespace the client works in, or null for the caller's.</summary>
    public string? NetworkNamespaceName { get; }

    /// <summary>How long to wait for the kernel's answer before giving up with <see cref="IpsecError.TimedOut"/> (30 s).</summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        set => _requestTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The timeout must be positive.");
    }

    /// <summary>Opens a client in the caller's network namespace, or in the named one (as <c>ip netns add</c> creates it).</summary>
    /// <param name="networkNamespace">The namespace's name (ip netns), or null for the caller's.</param>
    /// <param name="timeProvider">The clock of <see cref="RequestTimeout"/>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="IpsecException">ProtocolOptionUnavailable without XFRM netlink; NotFound for a missing namespace.</exception>
    public static XfrmClient Open(string? networkNamespace = null, TimeProvider? timeProvider = null) => new(networkNamespace, timeProvider);

    /// <summary>Opens a monitor on the ACQUIRE, EXPIRE, SA and POLICY groups; it receives from the moment this returns.</summary>
    public XfrmMonitor OpenMonitor() => XfrmMonitor.Open(NetworkNamespaceName);

    /// <summary>Streams events until cancelled (a monitor opened when enumeration starts).</summary>
    public async IAsyncEnumerable<XfrmEvent> MonitorAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var monitor = OpenMonitor();
        while (true)
        {
            yield return await monitor.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>All SAs (XFRM_MSG_GETSA dump).</summary>
    public async Task<IReadOnlyList<XfrmState>> ListStatesAsync(CancellationToken cancellationToken = default)
    {
        var states = new List<XfrmState>();
        await DumpAsync(M.GetSa, "dumping SAs", (in NetlinkMessageHeader h, ReadOnlySpan<byte> p) =>
        {
            if (h.Type == M.NewSa)
            {
                states.Add(XfrmStateCodec.ReadMessage(p));
            }
        }, states.Clear, cancellationToken, clearReceived: true).ConfigureAwait(false); // the replies carry keys
        return states;
    }

    /// <summary>All policies, socket policies included (XFRM_MSG_GETPOLICY dump).</summary>
    public async Task<IReadOnlyList<XfrmPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default)
    {
        var policies = new List<XfrmPolicy>();
        await DumpAsync(M.GetPolicy, "dumping policies", (in NetlinkMessageHeader h, ReadOnlySpan<byte> p) =>
        {
            if (h.Type == M.NewPolicy)
            {
                policies.Add(XfrmPolicyCodec.ReadMessage(p));
            }
        }, policies.Clear, cancellationToken).ConfigureAwait(false);
        return policies;
    }

    /// <summary>The SA (destination, SPI, protocol).</summary>
    /// <exception cref="NetlinkException">NoSuchEntry when there is none.</exception>
    public async Task<XfrmState> GetStateAsync(IPAddress destination, uint spi, XfrmProtocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        XfrmState? found = null;
        await ExchangeAsync(XfrmRequests.GetState(destination, spi, protocol, NextSequence()), NetlinkExchangeKind.Get,
            XfrmErrors.DescribeStateId("getting", destination, spi, protocol),
            (in NetlinkMessageHeader h, ReadOnlySpan<byte> p) => found = h.Type == M.NewSa ? XfrmStateCodec.ReadMessage(p) : found,
            cancellationToken, clearReceived: true).ConfigureAwait(false);
        return found ?? throw UnexpectedReply("GETSA");
    }

    /// <summary>
    /// Reads the SA (destination, SPI, protocol) with its keys (XFRM_MSG_GETSA) and hands them to
    /// <paramref name="onKeys"/> in place: no key is copied into an object, and the receive buffer is zeroed when the
    /// exchange ends, whether the callback returned or threw.
    /// </summary>
    /// <exception cref="NetlinkException">NoSuchEntry when there is none; PermissionDenied without CAP_NET_ADMIN.</exception>
    public async Task ReadStateKeysAsync(IPAddress destination, uint spi, XfrmProtocol protocol, XfrmSaKeyMaterialCallback onKeys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(onKeys);
        var found = false;
        await ExchangeAsync(XfrmRequests.GetState(destination, spi, protocol, NextSequence()), NetlinkExchangeKind.Get,
            XfrmErrors.DescribeStateId("reading the keys of", destination, spi, protocol),
            (in NetlinkMessageHeader h, ReadOnlySpan<byte> p) =>
            {
                if (h.Type == M.NewSa && !found)
                {
                    found = true;
                    onKeys(new XfrmSaKeyMaterial(p));
                }
            },
            cancellationToken, clearReceived: true).ConfigureAwait(false);
        if (!found)
        {
            throw UnexpectedReply("GETSA");
        }
    }

    /// <summary>
    /// Reads the keys of two SAs - typically the two directions of one pair - with both XFRM_MSG_GETSA requests in one
    /// datagram, so the pair costs one trip into the kernel instead of two. <paramref name="onKeys"/> gets the first SA
    /// (index 0), then the second (index 1), in place as with <see cref="ReadStateKeysAsync(IPAddress, uint, XfrmProtocol, XfrmSaKeyMaterialCallback, CancellationToken)"/>;
    /// the second only when the first was read. The receive buffer is zeroed when the exchange ends, however it ends.
    /// </summary>
    /// <param name="first">The first SA: destination, SPI and protocol.</param>
    /// <param name="second">The second SA.</param>
    /// <param name="onKeys">Called with each SA's index and key material; keep nothing from it.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <exception cref="NetlinkException">
    /// For the first of the two SAs (in order) that the kernel refused: NoSuchEntry when there is none; PermissionDenied
    /// without CAP_NET_ADMIN. The callback has then seen only the SAs before it.
    /// </exception>
    public async Task ReadStatePairKeysAsync(
        (IPAddress Destination, uint Spi, XfrmProtocol Protocol) first,
        (IPAddress Destination, uint Spi, XfrmProtocol Protocol) second,
        XfrmSaKeyPairCallback onKeys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(first.Destination);
        ArgumentNullException.ThrowIfNull(second.Destination);
        ArgumentNullException.ThrowIfNull(onKeys);
        var firstSequence = NextSequence();
        var secondSequence = NextSequence();
        var w = XfrmRequests.GetStatePair(first, firstSequence, second, secondSequence);
        string What(int index)
        {
            var sa = index == 0 ? first : second;
            return XfrmErrors.DescribeStateId("reading the keys of", sa.Destination, sa.Spi, sa.Protocol);
        }

        NetlinkBatchOutcome[] outcomes;
        using (var timeout = new LinkedTimeout(RequestTimeout, _time, cancellationToken))
        {
            try
            {
                outcomes = await _channel.ExchangeBatchAsync(w,
                    (int index, in NetlinkMessageHeader h, ReadOnlySpan<byte> p) =>
                    {
                        if (h.Type == M.NewSa)
                        {
                            onKeys(index, new XfrmSaKeyMaterial(p));
                        }
                    },
                    (index, e) => XfrmErrors.FromKernel(e, What(index)), timeout.Token, clearReceived: true).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IpsecException(IpsecError.TimedOut, $"{What(0)} and its pair: the kernel did not answer within {RequestTimeout.TotalSeconds:0.#} s.", e);
            }
            finally
            {
                w.Clear();
            }
        }

        foreach (var outcome in outcomes)
        {
            if (outcome.Failure is not null)
            {
                throw outcome.Failure;
            }

            if (!outcome.Answered)
            {
                throw UnexpectedReply("GETSA");
            }
        }
    }

    /// <summary>Adds an SA (fails with AlreadyExists if its identity is taken).</summary>
    public Task AddStateAsync(XfrmState state, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(M.NewSa, "adding", state, cancellationToken);

    /// <summary>Replaces an existing SA (fails with NoSuchEntry if it is absent).</summary>
    public Task UpdateStateAsync(XfrmState state, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(M.UpdateSa, "updating", state, cancellationToken);

    /// <summary>Deletes the SA (destination, SPI, protocol).</summary>
    public Task DeleteStateAsync(IPAddress destination, uint spi, XfrmProtocol protocol, CancellationToken cancellationToken = default) =>
        DeleteStateAsync(destination, spi, protocol, null, cancellationToken);

    /// <summary>Deletes the SA that <paramref name="state"/> identifies (its mark included).</summary>
    public Task DeleteStateAsync(XfrmState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return DeleteStateAsync(state.Destination, state.Spi, state.Protocol, state.Mark, cancellationToken);
    }

    /// <summary>Deletes all SAs of a protocol (<see cref="XfrmProtocol.Any"/>: ESP, AH and IPComp).</summary>
    public Task FlushStatesAsync(XfrmProtocol protocol = XfrmProtocol.Any, CancellationToken cancellationToken = default) =>
        ExchangeAsync(XfrmRequests.FlushStates(protocol, NextSequence()), NetlinkExchangeKind.Ack, "flushing SAs", null, cancellationToken);

    /// <summary>The policy with this selector and direction (main type, no mark).</summary>
    public Task<XfrmPolicy> GetPolicyAsync(XfrmSelector selector, XfrmPolicyDirection direction, CancellationToken cancellationToken = default) =>
        GetPolicyAsync(selector, 0, direction, cancellationToken);

    /// <summary>The policy with this index; the direction must be the policy's.</summary>
    public Task<XfrmPolicy> GetPolicyByIndexAsync(uint index, XfrmPolicyDirection direction, CancellationToken cancellationToken = default) =>
        GetPolicyAsync(XfrmSelector.Any(AddressFamily.InterNetwork), index, direction, cancellationToken);

    /// <summary>Adds a policy (fails with AlreadyExists if one with the same selector, direction and mark exists).</summary>
    public Task AddPolicyAsync(XfrmPolicy policy, CancellationToken cancellationToken = default) =>
        ChangePolicyAsync(M.NewPolicy, "adding", policy, cancellationToken);

    /// <summary>Adds or replaces the policy with the same selector, direction and mark.</summary>
    public Task UpdatePolicyAsync(XfrmPolicy policy, CancellationToken cancellationToken = default) =>
        ChangePolicyAsync(M.UpdatePolicy, "updating", policy, cancellationToken);

    /// <summary>Deletes the policy with this selector and direction (main type, no mark).</summary>
    public Task DeletePolicyAsync(XfrmSelector selector, XfrmPolicyDirection direction, CancellationToken cancellationToken = default) =>
        DeletePolicyAsync(new XfrmPolicy { Selector = selector, Direction = direction }, cancellationToken);

    /// <summary>Deletes the policy <paramref name="policy"/> identifies: by index when it has one, else by selector, direction, mark, if_id and type.</summary>
    public Task DeletePolicyAsync(XfrmPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ExchangeAsync(XfrmRequests.DeletePolicy(policy, NextSequence()), NetlinkExchangeKind.Ack,
            XfrmErrors.DescribePolicy("deleting", policy.Selector, policy.Direction, policy.Index), null, cancellationToken);
    }

    /// <summary>Deletes the policy with this index and direction.</summary>
    public Task DeletePolicyByIndexAsync(uint index, XfrmPolicyDirection direction, CancellationToken cancellationToken = default) =>
        DeletePolicyAsync(new XfrmPolicy { Selector = XfrmSelector.Any(AddressFamily.InterNetwork), Direction = direction, Index = index },
            cancellationToken);

    /// <summary>Deletes every policy of the main type (socket policies stay: they belong to their sockets).</summary>
    public Task FlushPoliciesAsync(CancellationToken cancellationToken = default) =>
        ExchangeAsync(XfrmRequests.FlushPolicies(NextSequence()), NetlinkExchangeKind.Ack, "flushing policies", null, cancellationToken);

    /// <summary>The netlink receive buffer, for the tests that check it holds no key once an exchange has ended.</summary>
    internal ReadOnlySpan<byte> ReceiveBuffer => _channel.ReceiveBuffer;

    /// <summary>Closes the netlink socket.</summary>
    public void Dispose() => _channel.Dispose();

    internal static NetlinkSocket OpenSocket(string? networkNamespace) => networkNamespace is null
        ? NetlinkSocket.Open(NetlinkXfrm, "NETLINK_XFRM")
        : NetworkNamespace.Run(networkNamespace, () => NetlinkSocket.Open(NetlinkXfrm, "NETLINK_XFRM"));

    private async Task<XfrmPolicy> GetPolicyAsync(XfrmSelector selector, uint index, XfrmPolicyDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        XfrmPolicy? found = null;
        await ExchangeAsync(XfrmRequests.GetPolicy(selector, index, direction, NextSequence()), NetlinkExchangeKind.Get,
            XfrmErrors.DescribePolicy("getting", selector, direction, index),
            (in NetlinkMessageHeader h, ReadOnlySpan<byte> p) => found = h.Type == M.NewPolicy ? XfrmPolicyCodec.ReadMessage(p) : found,
            cancellationToken).ConfigureAwait(false);
        return found ?? throw UnexpectedReply("GETPOLICY");
    }

    private Task ChangeStateAsync(ushort type, string verb, XfrmState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ExchangeAsync(XfrmRequests.ChangeState(type, state, NextSequence()), NetlinkExchangeKind.Ack,
            XfrmErrors.DescribeState(verb, state), null, cancellationToken);
    }

    private Task DeleteStateAsync(IPAddress destination, uint spi, XfrmProtocol protocol, XfrmMark? mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return ExchangeAsync(XfrmRequests.DeleteState(destination, spi, protocol, mark, NextSequence()), NetlinkExchangeKind.Ack,
            XfrmErrors.DescribeStateId("deleting", destination, spi, protocol), null, cancellationToken);
    }

    private Task ChangePolicyAsync(ushort type, string verb, XfrmPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ExchangeAsync(XfrmRequests.ChangePolicy(type, policy, NextSequence()), NetlinkExchangeKind.Ack,
            XfrmErrors.DescribePolicy(verb, policy.Selector, policy.Direction, policy.Index), null, cancellationToken);
    }

    private async Task DumpAsync(ushort type, string what, NetlinkMessageCallback onMessage, Action restart, CancellationToken cancellationToken,
        bool clearReceived = false)
    {
        // A dump the kernel marks as interrupted (the table changed meanwhile) is taken again, a few times at most.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExchangeAsync(XfrmRequests.Dump(type, NextSequence()), NetlinkExchangeKind.Dump, what, onMessage, cancellationToken, clearReceived)
                    .ConfigureAwait(false);
                return;
            }
            catch (IpsecException e) when (e is not NetlinkException && e.Error == IpsecError.TryAgain && attempt < 4)
            {
                restart();
            }
        }
    }

    private uint NextSequence() => (uint)Interlocked.Increment(ref _sequence);

    private async Task ExchangeAsync(NetlinkWriter w, NetlinkExchangeKind kind, string what, NetlinkMessageCallback? onMessage,
        CancellationToken cancellationToken, bool clearReceived = false)
    {
        using var timeout = new LinkedTimeout(RequestTimeout, _time, cancellationToken);
        try
        {
            await _channel.ExchangeAsync(w, kind, onMessage ?? Ignore, e => XfrmErrors.FromKernel(e, what), timeout.Token, clearReceived).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IpsecException(IpsecError.TimedOut, $"{what}: the kernel did not answer within {RequestTimeout.TotalSeconds:0.#} s.", e);
        }
        finally
        {
            w.Clear(); // the request may hold key material
        }
    }

    private static void Ignore(in NetlinkMessageHeader header, ReadOnlySpan<byte> payload)
    {
    }

    private static IpsecException UnexpectedReply(string request) =>
        new(IpsecError.BadMessage, $"The kernel answered {request} without the expected message.");
}
