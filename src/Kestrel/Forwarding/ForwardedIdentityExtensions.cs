using CbbToolkit.Kestrel.Forwarding;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Accepts forwarded identity headers only from known proxies over verified IPsec channels.</summary>
public static class ForwardedIdentityExtensions
{
    /// <summary>
    /// Strips the identity headers (<see cref="ForwardedIdentityOptions.Headers"/>) from every request that did not come
    /// from a <see cref="ForwardedIdentityOptions.KnownProxies"/> peer over a verified channel. Place it first, before
    /// anything reads those headers; the endpoint needs <c>UseIpsecChannel</c> (without it every request is stripped).
    /// </summary>
    /// <param name="app">The app.</param>
    /// <param name="configure">Sets the known proxies (also settable with <c>services.Configure&lt;ForwardedIdentityOptions&gt;</c>).</param>
    /// <returns>The app.</returns>
    public static IApplicationBuilder UseForwardedIpsecIdentity(this IApplicationBuilder app, Action<ForwardedIdentityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (configure is null)
        {
            return app.UseMiddleware<ForwardedIdentityMiddleware>();
        }

        var options = new ForwardedIdentityOptions();
        configure(options);
        return app.UseMiddleware<ForwardedIdentityMiddleware>(Microsoft.Extensions.Options.Options.Create(options));
    }
}
