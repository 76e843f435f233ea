using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Kestrel;
using CbbToolkit.Kestrel.Connections;
using CbbToolkit.Kestrel.Hosting;
using CbbToolkit.Kestrel.Listener;
using CbbToolkit.Kestrel.Verification;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>
/// Per-endpoint IPsec channel checks for Kestrel (needs <c>services.AddIpsecChannels()</c>).
/// </summary>
/// <remarks>
/// Order matters as for every connection middleware. Placed before <c>UseHttps</c>, <see cref="UseIpsecChannel"/> resolves
/// and latches the channel before the TLS handshake, so that a handshake callback can already read
/// <see cref="IIpsecChannelFeature"/> from the connection's features (e.g. to skip the client-certificate request for a
/// verified peer); place it a second time after <c>UseHttps</c> to add the TLS attributes and bindings to the same
/// feature's <see cref="IIpsecChannelFeature.ChannelInfo"/> (the second instance resolves nothing again). Placed only after
/// <c>UseHttps</c>, one call does both. The feature is set on the connection's features; Kestrel's request features fall
/// back to those, so <c>HttpContext.Features.Get&lt;IIpsecChannelFeature&gt;()</c> sees it on every request, HTTP/1.1 and HTTP/2.
/// </remarks>
public static class IpsecChannelListenOptionsExtensions
{
    /// <summary>
    /// Resolves, verifies and latches each connection's IPsec channel and exposes it as <see cref="IIpsecChannelFeature"/>;
    /// the connection is aborted when its latch goes BROKEN or CLOSED. <see cref="IpsecChannelEndpointOptions.Mode"/>
    /// says what happens to unverified connections (Permissive by default).
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="configure">Sets the endpoint's options; none when null.</param>
    public static ListenOptions UseIpsecChannel(this ListenOptions listenOptions, Action<IpsecChannelEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var options = new IpsecChannelEndpointOptions();
        configure?.Invoke(options);
        if (!Enum.IsDefined(options.Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.Mode, "Not an IpsecChannelMode.");
        }

        ArgumentNullException.ThrowIfNull(options.ChannelPolicy, nameof(IpsecChannelEndpointOptions.ChannelPolicy));
        var sp = listenOptions.ApplicationServices;
        var services = sp.GetService<IpsecChannelServices>()
            ?? throw new InvalidOperationException("UseIpsecChannel needs services.AddIpsecChannels() in the application's services.");
        var verifier = sp.GetRequiredService<IpsecChannelVerifier>();
        var registry = sp.GetRequiredService<IpsecConnectionRegistry>();
        var listenerPolicies = sp.GetRequiredService<IpsecListenerPolicies>();
        var metrics = sp.GetRequiredService<IpsecChannelMetrics>();
        var time = sp.GetRequiredService<TimeProvider>();
        var logger = sp.GetRequiredService<ILogger<IpsecChannelMiddleware>>();
        listenOptions.Use(next => new IpsecChannelMiddleware(next, options, services, verifier, registry, listenerPolicies, metrics, time, logger).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>
    /// <see cref="UseIpsecChannel"/> in <see cref="IpsecChannelMode.Strict"/>: a connection whose channel is not verified
    /// is closed before any HTTP byte is read, and the reason logged (event 4112) and counted. For plaintext endpoints
    /// that serve only IKE-authenticated (or, with <see cref="IpsecChannelEndpointOptions.AcceptsBindings"/>, bound) peers.
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="configure">Sets the endpoint's other options; the mode stays Strict.</param>
    public static ListenOptions RequireVerifiedIpsecChannel(this ListenOptions listenOptions, Action<IpsecChannelEndpointOptions>? configure = null) =>
        listenOptions.UseIpsecChannel(o =>
        {
            configure?.Invoke(o);
            o.Mode = IpsecChannelMode.Strict;
        });

    /// <summary>
    /// Sets <paramref name="policy"/> on the endpoint's listen socket when Kestrel's socket transport creates it
    /// (<c>SocketTransportOptions.CreateBoundListenSocket</c>), so the kernel applies it to every accepted connection
    /// (e.g. ESP required: packets without it never reach the socket). The resolver takes the policy into account for
    /// those connections. Needs <c>services.AddIpsecChannels()</c> and the socket transport (Kestrel's default).
    /// </summary>
    /// <param name="listenOptions">The endpoint (an IP endpoint).</param>
    /// <param name="policy">The policy; <see cref="IpsecPolicy.Default"/> when null.</param>
    /// <exception cref="InvalidOperationException">The endpoint already has a listener policy, or AddIpsecChannels is missing.</exception>
    public static ListenOptions UseIpsecListenerPolicy(this ListenOptions listenOptions, IpsecPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var policies = listenOptions.ApplicationServices.GetService<IpsecListenerPolicies>()
            ?? throw new InvalidOperationException("UseIpsecListenerPolicy needs services.AddIpsecChannels() in the application's services.");
        if (listenOptions.IPEndPoint is null)
        {
            throw new InvalidOperationException($"An IPsec listener policy needs an IP endpoint, not {listenOptions.EndPoint}.");
        }

        policies.Request(listenOptions.EndPoint, policy ?? IpsecPolicy.Default);
        return listenOptions;
    }
}
