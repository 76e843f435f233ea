using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Channels;
using CbbToolkit.Http.Diagnostics;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Policies;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Http.Connections;

// SocketsHttpHandler.ConnectCallback: socket, per-socket policy, connect (retrying while key management works), resolve,
// requirement check, latch, then TLS when the handler owns it. Every refusal is an IpsecChannelRefusedException.
// readsSaKeys: the handler's own connections (binding) read ipsec-sa-binding from the kernel; the normal pool's need not.
internal sealed partial class IpsecChannelConnector(IpsecChannelOptions options, ILogger logger, IpsecHttpMetrics metrics, bool readsSaKeys) : IDisposable
{
    private readonly Lock _kernelGate = new();
    private XfrmClient? _kernel;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        context.InitialRequestMessage.Options.Set(IpsecHttpRequestOptions.Connection, stream.Info);
        return stream;
    }

    // One checked connection (policy, connect, resolve, requirement, latch), for the pool or for the handler's own use.
    public async Task<ConnectionStream> OpenAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var host = endPoint.Host;
        try
        {
            var socket = await ConnectSocketAsync(endPoint, cancellationToken).ConfigureAwait(false);
            var network = new NetworkStream(socket, ownsSocket: true);
            try
            {
                var info = await InspectAsync(socket, $"{endPoint.Host}:{endPoint.Port}", cancellationToken).ConfigureAwait(false);
                var stream = new ConnectionStream(network, info, options.Latches, OnLatchBroken);
                metrics.Opened(info, Stopwatch.GetElapsedTime(started));
                IpsecHttpLog.ConnectionOpened(logger, info);
                return stream;
            }
            catch
            {
                await network.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (IpsecChannelRefusedException e)
        {
            metrics.Refused(e.Reason);
            IpsecHttpLog.ConnectionRefused(logger, host, e.Reason, e.Message);
            throw;
        }
    }

    private async Task<Socket> ConnectSocketAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var remote = new IPEndPoint(address, endPoint.Port);
            var socket = CreateSocket(address.AddressFamily);
            try
            {
                socket.NoDelay = true;
                await ConnectWithPolicyAsync(socket, remote, cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e; // the next address may answer
            }
            catch
            {
                socket.Dispose();
                throw; // a refusal is about the policy, not this address: never try a weaker path
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private Socket CreateSocket(AddressFamily family) =>
        options.SocketFactory?.Invoke(family) ?? new Socket(family, SocketType.Stream, ProtocolType.Tcp);

    private async Task ConnectWithPolicyAsync(Socket socket, IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (options.Policy is not { } policy)
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            socket.SetIpsecPolicy(policy, remote);
        }
        catch (IpsecException e)
        {
            throw new IpsecChannelRefusedException(IpsecChannelRefusal.PolicyFailed, null,
                $"The IPsec policy for the connection to {remote} could not be applied ({e.Error}): {e.Message}", e);
        }

        try
        {
            await socket.ConnectWithKeyManagementAsync(remote, options.KeyManagementTimeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (IpsecException e) when (e.Error == IpsecError.TimedOut)
        {
            throw new IpsecChannelRefusedException(IpsecChannelRefusal.KeyManagementTimedOut, null, e.Message, e);
        }
    }

    private async Task<IpsecConnectionInfo> InspectAsync(Socket socket, string authority, CancellationToken cancellationToken)
    {
        var resolution = await socket.ResolveIpsecChannelAsync(options.PeerSource, cancellationToken).ConfigureAwait(false);
        var channel = resolution.Channel;
        var verified = channel is not null && IsVerified(channel);
        if (channel is null && options.Requirement != IpsecChannelRequirement.AllowClear)
        {
            throw new IpsecChannelRefusedException(IpsecChannelRefusal.NotProtected, resolution.Flow,
                $"{resolution.Flow} is not protected by IPsec ({resolution.Reason}: {resolution.Message}) and the handler requires {options.Requirement}.");
        }

        if (channel is not null && !verified && options.Requirement == IpsecChannelRequirement.RequireVerified)
        {
            throw new IpsecChannelRefusedException(IpsecChannelRefusal.NotVerified, resolution.Flow,
                $"{resolution.Flow} is protected, but key management names no authenticated peer ({channel.PeerStatus}" +
                $"{(channel.Peer is { } p ? ", " + p.AuthenticationMethod : "")}{(channel.PeerMessage is { } m ? ": " + m : "")}); the handler requires a verified channel.");
        }

        var channelInfo = channel is null ? null : await ChannelInfoAsync(channel, cancellationToken).ConfigureAwait(false);
        IpsecLatchHandle? latch = null;
        if (channel is not null && options.Latches is { } latches)
        {
            latch = latches.CreateConnectionLatch(channel, peerId: channel.Peer?.RemoteId, localId: channel.Peer?.LocalId);
        }

        return new IpsecConnectionInfo(authority, resolution, verified, channelInfo, latch, options.Policy, options.TimeProvider);
    }

    // With binding on, ipsec-sa-binding is read from the kernel's SA keys: a binding is made and proven on it. When the
    // keys cannot be read the value is left out, and the binding exchange refuses the channel as not verified.
    private async Task<ChannelInfo> ChannelInfoAsync(IpsecChannel channel, CancellationToken cancellationToken)
    {
        if (!readsSaKeys || !options.UseBinding)
        {
            return IpsecChannelInfoConverter.FromChannel(channel, options.TimeProvider);
        }

        try
        {
            var policy = (options.Policy ?? IpsecPolicy.Default) with { RequireChannelBinding = false, ChannelBindings = IpsecChannelBindings.IpsecSaBinding | IpsecChannelBindings.IpsecEndPoint };
            var conversion = await IpsecChannelInfoConverter.FromChannelAsync(channel, policy, Kernel(), options.TimeProvider.GetUtcNow(), cancellationToken)
                .ConfigureAwait(false);
            return conversion.Info;
        }
        catch (IpsecException)
        {
            return IpsecChannelInfoConverter.FromChannel(channel, options.TimeProvider);
        }
    }

    private XfrmClient Kernel()
    {
        lock (_kernelGate)
        {
            return _kernel ??= XfrmClient.Open(options.NetworkNamespace, options.TimeProvider);
        }
    }

    public void Dispose()
    {
        lock (_kernelGate)
        {
            _kernel?.Dispose();
            _kernel = null;
        }
    }

    // Verified: key management answered for this SA pair and authenticated the peer; BTNS, NULL and leap of faith do not.
    internal static bool IsVerified(IpsecChannel channel) =>
        channel.PeerStatus == IpsecPeerStatus.Known && channel.Peer is { } peer && peer.AuthenticationMethod is not
            (IpsecAuthenticationMethod.None or IpsecAuthenticationMethod.Btns or IpsecAuthenticationMethod.Null or IpsecAuthenticationMethod.LeapOfFaith);

    private void OnLatchBroken(IpsecFlow flow, string reason)
    {
        metrics.LatchBroken();
        IpsecHttpLog.LatchBroken(logger, flow.ToString(), reason);
    }
}
