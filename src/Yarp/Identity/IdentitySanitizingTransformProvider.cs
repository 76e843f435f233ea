using CbbToolkit.Yarp.Clusters;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms.Builder;

namespace CbbToolkit.Yarp.Identity;

/// <summary>
/// Applies to every route: puts <see cref="IdentitySanitizingTransform"/> first among its request transforms, keeps the
/// binding exchange on the client's hop (<see cref="BindingHopTransform"/>), and
/// checks every cluster's <c>Cbb.*</c> metadata when the configuration is loaded (a bad value rejects the config).
/// </summary>
internal sealed class IdentitySanitizingTransformProvider(IOptions<IpsecProxyOptions> options, ILogger<IdentitySanitizingTransformProvider> logger) : ITransformProvider
{
    private readonly string[] _headers = [.. Headers.IpsecIdentityHeaderNames.Sanitized.Concat(options.Value.AdditionalSanitizedHeaders).Distinct(StringComparer.OrdinalIgnoreCase)];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            IpsecClusterMetadata.Parse(context.Cluster.ClusterId, context.Cluster.Metadata);
        }
        catch (IpsecClusterConfigurationException e)
        {
            context.Errors.Add(e);
        }
    }

    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestTransforms.Insert(0, new IdentitySanitizingTransform(_headers, context.Route.RouteId, logger));
        context.RequestTransforms.Insert(1, BindingHopTransform.Request);
        context.ResponseTransforms.Add(BindingHopTransform.Response);
    }
}
