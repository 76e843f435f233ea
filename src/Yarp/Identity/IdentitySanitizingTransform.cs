using CbbToolkit.Yarp.Diagnostics;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Transforms;

namespace CbbToolkit.Yarp.Identity;

/// <summary>
/// Removes every identity header from the outgoing request. Put first on every route by
/// <see cref="IdentitySanitizingTransformProvider"/>, whatever the route's own transforms, so no route forwards a
/// client-written identity.
/// </summary>
internal sealed class IdentitySanitizingTransform(IReadOnlyList<string> headers, string routeId, ILogger logger) : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var incoming = context.HttpContext.Request.Headers;
        foreach (var header in headers)
        {
            if (incoming.ContainsKey(header))
            {
                YarpLog.ClientIdentityHeaderRemoved(logger, header, routeId);
            }

            // Also when the client did not send it: an earlier transform of the route's config may have copied one in.
            RemoveHeader(context, header);
        }

        return ValueTask.CompletedTask;
    }
}
