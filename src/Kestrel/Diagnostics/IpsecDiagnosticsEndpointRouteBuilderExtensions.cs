using System.Text.Json;
using CbbToolkit.Kestrel.Connections;
using CbbToolkit.Kestrel.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The operators' view of live IPsec-checked connections: <c>app.MapIpsecDiagnostics("/_ipsec")</c>.</summary>
public static class IpsecDiagnosticsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps GET <paramref name="pattern"/> to a JSON list of the live connections of every <c>UseIpsecChannel</c> endpoint:
    /// id, end points, mode, status and reason, channel (SPIs, reqid, peer id, auth method), latch (id, state) and binding
    /// (state, id, principal; from <see cref="CbbToolkit.Kestrel.IChannelBindingFeature"/> when present). Opt-in and
    /// unauthenticated by itself: chain <c>.RequireAuthorization(...)</c> or map it on an operators-only endpoint.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, e.g. "/_ipsec/connections".</param>
    public static IEndpointConventionBuilder MapIpsecDiagnostics(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var registry = endpoints.ServiceProvider.GetService<IpsecConnectionRegistry>()
            ?? throw new InvalidOperationException("MapIpsecDiagnostics needs services.AddIpsecChannels() in the application's services.");
        return endpoints.MapGet(pattern, async (HttpContext context) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
            IpsecDiagnosticsWriter.Write(json, registry.Connections);
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        });
    }
}
