using CbbToolkit.Ipsec.Policies;
using Microsoft.AspNetCore.Connections;

namespace CbbToolkit.Kestrel;

/// <summary>The settings of one endpoint's <c>UseIpsecChannel</c>.</summary>
public sealed class IpsecChannelEndpointOptions
{
    /// <summary>What the endpoint does with connections that are not verified; <see cref="IpsecChannelMode.Permissive"/> by default.</summary>
    public IpsecChannelMode Mode { get; set; } = IpsecChannelMode.Permissive;

    /// <summary>
    /// Whether the endpoint runs the binding exchange: a <see cref="IpsecChannelStatus.PeerNotTrusted"/> connection (NULL
    /// or BTNS IKE) then stays open even in <see cref="IpsecChannelMode.Strict"/>, so that it can prove a binding; nothing
    /// authenticates it until it does. False by default.
    /// </summary>
    public bool AcceptsBindings { get; set; }

    /// <summary>
    /// Selects the binding values computed into the connection's <see cref="IIpsecChannelFeature.ChannelInfo"/>
    /// (<see cref="IpsecPolicy.ChannelBindings"/>) for IPsec and, after <c>UseHttps</c>, TLS. Default: ipsec-end-point-sha256
    /// and the TLS bindings; ipsec-sa-binding (which reads SA keys from the kernel per connection) only when selected.
    /// </summary>
    public IpsecPolicy ChannelPolicy { get; set; } = IpsecPolicy.Default with
    {
        ChannelBindings = ChannelBindingSelection.All & ~Channels.IpsecBindings.IpsecChannelBindings.IpsecSaBinding,
    };

    /// <summary>
    /// Called once per connection after its channel is checked, before the connection goes on (also for connections
    /// <see cref="IpsecChannelMode.Strict"/> is about to close). An exception it throws closes that connection (logged),
    /// never the listener.
    /// </summary>
    public Func<ConnectionContext, IIpsecChannelFeature, ValueTask>? OnChannelChecked { get; set; }
}
