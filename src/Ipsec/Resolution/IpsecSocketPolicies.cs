using System.Net.Sockets;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// The per-socket policies set on one socket (the kernel cannot read them back, so whoever set them supplies them).
/// A socket policy whose selector covers the flow wins over the whole SPD in its direction, as in the kernel.
/// </summary>
/// <param name="Outbound">The socket's outbound policy, or null.</param>
/// <param name="Inbound">The socket's inbound policy, or null.</param>
public sealed record IpsecSocketPolicies(XfrmPolicy? Outbound, XfrmPolicy? Inbound)
{
    /// <summary>
    /// The policies this library set on <paramref name="socket"/> (<see cref="SocketIpsecExtensions.SetIpsecPolicy"/>),
    /// rebuilt as the kernel holds them; null when it set none. An accepted socket inherits its listener's policies in
    /// the kernel but not in the library's registry: pass the listener's.
    /// </summary>
    public static IpsecSocketPolicies? FromSocket(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (SocketPolicyRegistry.Get(socket) is not { } record)
        {
            return null;
        }

        var selector = XfrmSelector.Any(record.SelectorFamily);
        var peer = record.Peer is null ? null : SocketPolicyOption.Normalize(record.Peer.Address);
        return new IpsecSocketPolicies(
            IpsecPolicyTranslator.ToXfrmPolicy(record.Policy, XfrmPolicyDirection.SocketOut, selector, peer),
            IpsecPolicyTranslator.ToXfrmPolicy(record.Policy, XfrmPolicyDirection.SocketIn, selector, peer));
    }
}
