using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Sockets;

namespace CbbToolkit.Kestrel.Listener;

/// <summary>
/// The IPsec policies endpoints asked for on their listen sockets (<c>UseIpsecListenerPolicy</c>), applied when Kestrel's
/// socket transport creates the socket, and the bound sockets' policies: accepted sockets inherit them in the kernel, so
/// the resolver must see them for those connections too.
/// </summary>
internal sealed class IpsecListenerPolicies
{
    private readonly ConcurrentDictionary<EndPoint, IpsecPolicy> _requested = new();
    private readonly ConcurrentDictionary<IPEndPoint, IpsecSocketPolicies> _bound = new();

    public void Request(EndPoint endPoint, IpsecPolicy policy)
    {
        if (!_requested.TryAdd(endPoint, policy))
        {
            throw new InvalidOperationException($"An IPsec listener policy is already set for {endPoint}.");
        }
    }

    /// <summary>Sets the policy asked for on a bound listen socket (before Kestrel calls listen).</summary>
    public void Apply(EndPoint endPoint, Socket socket)
    {
        if (!_requested.TryGetValue(endPoint, out var policy))
        {
            return;
        }

        socket.SetIpsecPolicy(policy);
        if (socket.LocalEndPoint is IPEndPoint local && IpsecSocketPolicies.FromSocket(socket) is { } policies)
        {
            _bound[Normalize(local)] = policies;
        }
    }

    /// <summary>The socket policies an accepted connection inherited from its listener, or null.</summary>
    public IpsecSocketPolicies? ForAccepted(IPEndPoint local)
    {
        if (_bound.IsEmpty)
        {
            return null;
        }

        local = Normalize(local);
        if (_bound.TryGetValue(local, out var exact))
        {
            return exact;
        }

        var any = local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return _bound.TryGetValue(new IPEndPoint(any, local.Port), out var wildcard) ? wildcard
            : _bound.TryGetValue(new IPEndPoint(IPAddress.IPv6Any, local.Port), out var dual) ? dual : null;
    }

    private static IPEndPoint Normalize(IPEndPoint e) => e.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(e.Address.MapToIPv4(), e.Port) : e;
}
