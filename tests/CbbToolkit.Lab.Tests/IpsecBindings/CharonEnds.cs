using System.Net.Sockets;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Lab.Tests.EndToEnd;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// Both ends of a <see cref="CharonSession"/>'s connection as their applications see them: A with the session's
/// resolver inputs (its VICI peer source, the client's socket policies), B with its own charon's VICI peer source and the
/// socket policies its listener carries (the accepted socket inherits them in the kernel).
/// </summary>
internal sealed class CharonEnds : IAsyncDisposable
{
    private readonly CharonSession _session;
    private readonly ViciPeerSource _peersB;
    private readonly IpsecSocketPolicies? _policiesB;

    private CharonEnds(CharonSession session, ViciPeerSource peersB, IpsecSocketPolicies? policiesB)
    {
        _session = session;
        _peersB = peersB;
        _policiesB = policiesB;
    }

    public static async Task<CharonEnds> OpenAsync(CharonSession session, CancellationToken ct)
    {
        // The policies as the library records them for a socket it set them on: the listener's, rebuilt from a twin.
        using var twin = TcpEcho.Open(session.HostB, AddressFamily.InterNetwork);
        twin.SetIpsecPolicy(session.Policy);
        var policies = IpsecSocketPolicies.FromSocket(twin);
        var peers = new ViciPeerSource(session.Pair.B.Uri);
        try
        {
            await peers.StartAsync(ct);
        }
        catch
        {
            await peers.DisposeAsync();
            throw;
        }

        return new CharonEnds(session, peers, policies);
    }

    /// <summary>A's and B's channel and binding values for the session's client connection.</summary>
    public async Task<(IpsecChannel ChannelA, IpsecChannelConversion A, IpsecChannel ChannelB, IpsecChannelConversion B)> ConvertAsync(CancellationToken ct)
    {
        var flow = BindingEnd.Of(_session.Client);
        var (channelA, a) = await BindingEnd.ConvertAsync(_session.Pair.A.Namespace, flow, ct, _session.Peers,
            _session.Resolver.GetSocketPolicies(_session.Client));
        var (channelB, b) = await BindingEnd.ConvertAsync(_session.Pair.B.Namespace, BindingEnd.Mirror(flow), ct, _peersB, _policiesB);
        return (channelA, a, channelB, b);
    }

    /// <summary>SHA256(DER a.pub) XOR SHA256(DER b.pub), the DER made by openssl from the PEM files the charons use.</summary>
    public byte[] ExpectedEndPoint()
    {
        var result = new byte[32];
        foreach (var peer in new[] { _session.Pair.A, _session.Pair.B })
        {
            var hash = System.Security.Cryptography.SHA256.HashData(peer.PublicKeyDer());
            for (var i = 0; i < 32; i++)
            {
                result[i] ^= hash[i];
            }
        }

        return result;
    }

    public ValueTask DisposeAsync() => _peersB.DisposeAsync();
}
