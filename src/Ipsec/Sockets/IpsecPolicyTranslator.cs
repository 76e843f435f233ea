using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>
/// Turns the draft's <see cref="IpsecPolicy"/> into the kernel policy of one direction. docs/ipsec-backend.md lists
/// what each attribute becomes; IsBtnsStandalone, RequireChannelBinding, ChannelBindings and PolicyName have no kernel
/// effect (they steer key management and the toolkit's own verification).
/// </summary>
internal static class IpsecPolicyTranslator
{
    public static XfrmPolicy ToXfrmPolicy(IpsecPolicy policy, XfrmPolicyDirection direction, XfrmSelector selector, IPAddress? peer)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(selector);
        return new XfrmPolicy
        {
            Selector = selector,
            Direction = direction,
            Priority = policy.Priority,
            Templates = Templates(policy, direction, selector.Family, peer),
        };
    }

    /// <summary>ESP unless confidentiality is refused; AH when only integrity is left; none (bypass) when both are refused.</summary>
    public static XfrmProtocol? Protocol(IpsecPolicy policy) =>
        policy.PrivacyProtected != ProtectionRequirement.Disable ? XfrmProtocol.Esp
        : policy.IntegrityProtected != ProtectionRequirement.Disable ? XfrmProtocol.Ah
        : null;

    private static XfrmTemplate[] Templates(IpsecPolicy policy, XfrmPolicyDirection direction, AddressFamily family, IPAddress? peer)
    {
        if (Protocol(policy) is not { } protocol)
        {
            return [];
        }

        var outbound = direction is XfrmPolicyDirection.Out or XfrmPolicyDirection.SocketOut;
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var mode = policy.UsesTunnelMode ? XfrmMode.Tunnel : XfrmMode.Transport;
        var (destination, source) = (any, any);
        if (policy.UsesTunnelMode)
        {
            if (peer is null)
            {
                throw new ArgumentException(
                    "A tunnel-mode policy needs the peer's address for the tunnel end point: pass the peer end point.", nameof(peer));
            }

            if (policy.Level == IpsecLevel.Use && outbound)
            {
                throw new ArgumentException(
                    "Linux refuses an optional (level use) tunnel-mode template in an outbound policy; use level require or transport mode.", nameof(policy));
            }

            (destination, source) = outbound ? (peer, any) : (any, peer);
        }

        var templates = new List<XfrmTemplate>(2);
        if (policy.IsCompressionAvailable)
        {
            // IPComp goes innermost and carries the tunnel (strongSwan's layout); it is optional inbound because the
            // sender skips compression for small packets, and outbound only where the kernel allows it.
            templates.Add(new XfrmTemplate
            {
                Protocol = XfrmProtocol.Comp,
                Mode = mode,
                Destination = destination,
                Source = source,
                RequestId = policy.RequestId,
                IsOptional = !outbound || (policy.Level == IpsecLevel.Use && mode == XfrmMode.Transport),
            });
            (mode, destination, source) = (XfrmMode.Transport, any, any);
        }

        templates.Add(new XfrmTemplate
        {
            Protocol = protocol,
            Mode = mode,
            Destination = destination,
            Source = source,
            RequestId = policy.RequestId,
            IsOptional = policy.Level == IpsecLevel.Use,
        });
        return [.. templates];
    }
}
