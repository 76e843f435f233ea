using CbbToolkit.Kestrel.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The IPsec channels' health check: <c>services.AddHealthChecks().AddIpsecChannels()</c>.</summary>
public static class IpsecChannelsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that is unhealthy when the kernel's XFRM state is not mirrored (every channel then fails closed) and
    /// degraded when strongSwan does not answer over VICI. Needs <c>services.AddIpsecChannels()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by (e.g. "ready").</param>
    public static IHealthChecksBuilder AddIpsecChannels(this IHealthChecksBuilder builder, string name = "ipsec-channels", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<IpsecChannelsHealthCheck>(name, HealthStatus.Unhealthy, tags ?? []);
    }
}
