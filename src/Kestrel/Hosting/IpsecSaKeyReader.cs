using CbbToolkit.Channels;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Hosting;

/// <summary>
/// Computes a connection's channel information, ipsec-sa-binding included when the endpoint needs it, from the live SA
/// keys of the followed namespace's kernel. One XFRM client per process (opened on first use, closed with the
/// container): the client serialises its requests and keys stay only in its netlink buffer, zeroed after each read.
/// </summary>
internal sealed class IpsecSaKeyReader(IOptions<IpsecChannelsOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private XfrmClient? _kernel;
    private bool _disposed;

    /// <summary>
    /// The policy whose bindings the endpoint computes: its own, plus ipsec-sa-binding when it runs the binding exchange
    /// (a binding is made and proven on that value; without it every exchange is refused channel-not-verified).
    /// </summary>
    public static IpsecPolicy EffectivePolicy(IpsecChannelEndpointOptions endpoint) =>
        endpoint.AcceptsBindings && !endpoint.ChannelPolicy.ChannelBindings.Includes(IpsecChannelBindings.IpsecSaBinding)
            ? endpoint.ChannelPolicy with { ChannelBindings = endpoint.ChannelPolicy.ChannelBindings | IpsecChannelBindings.IpsecSaBinding }
            : endpoint.ChannelPolicy;

    /// <summary>Whether connections of the endpoint read SA keys.</summary>
    public static bool ReadsKeys(IpsecChannelEndpointOptions endpoint) =>
        EffectivePolicy(endpoint).ChannelBindings.Includes(IpsecChannelBindings.IpsecSaBinding);

    /// <summary>The network namespace whose SAs are read (that of <c>AddIpsecChannels</c>).</summary>
    public string? NetworkNamespace => options.Value.NetworkNamespace;

    /// <summary>The channel's information with the bindings the endpoint selects; ipsec-sa-binding's absence says why.</summary>
    public Task<IpsecChannelConversion> ConvertAsync(IpsecChannel channel, IpsecChannelEndpointOptions endpoint, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var policy = EffectivePolicy(endpoint);
        var kernel = policy.ChannelBindings.Includes(IpsecChannelBindings.IpsecSaBinding) ? Kernel() : null;
        return IpsecChannelInfoConverter.FromChannelAsync(channel, policy, kernel, now, cancellationToken);
    }

    private XfrmClient Kernel()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _kernel ??= XfrmClient.Open(options.Value.NetworkNamespace);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _kernel?.Dispose();
            _kernel = null;
        }
    }
}
