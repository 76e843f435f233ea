using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms.Builder;

namespace CbbToolkit.Yarp.Identity;

/// <summary>The config form: <c>"Transforms": [{ "IpsecIdentity": "Set" }]</c> (Sanitize, Set or Append).</summary>
internal sealed class IpsecIdentityTransformFactory(IOptions<IpsecProxyOptions> options) : ITransformFactory
{
    public const string Key = "IpsecIdentity";

    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (transformValues.Count != 1)
        {
            context.Errors.Add(new ArgumentException($"The {Key} transform takes no other key; got {string.Join(", ", transformValues.Keys)}."));
        }
        else if (!TryParseMode(value, out _))
        {
            context.Errors.Add(new ArgumentException($"Unknown {Key} mode '{value}'; expected Sanitize, Set or Append."));
        }

        return true;
    }

    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (!TryParseMode(value, out var mode))
        {
            throw new ArgumentException($"Unknown {Key} mode '{value}'; expected Sanitize, Set or Append.", nameof(transformValues));
        }

        context.RequestTransforms.Add(new IpsecIdentityTransform(mode, [.. options.Value.TrustedUpstreamProxies]));
        return true;
    }

    // Names only: Enum.TryParse would also take "1" or "Set,Append".
    internal static bool TryParseMode(string? value, out IpsecIdentityMode mode)
    {
        foreach (var candidate in Enum.GetValues<IpsecIdentityMode>())
        {
            if (string.Equals(candidate.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }
}
