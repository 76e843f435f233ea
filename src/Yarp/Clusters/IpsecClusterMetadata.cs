using CbbToolkit.Http;

namespace CbbToolkit.Yarp.Clusters;

/// <summary>The <c>Cbb.*</c> cluster metadata keys and their parser (docs/yarp.md "Clusters").</summary>
public static class IpsecClusterMetadata
{
    /// <summary>allow-clear, protected or verified.</summary>
    public const string Require = "Cbb.Require";

    /// <summary>true or false.</summary>
    public const string Bind = "Cbb.Bind";

    /// <summary>true or false.</summary>
    public const string Plaintext = "Cbb.Plaintext";

    /// <summary>A file path.</summary>
    public const string Pins = "Cbb.Pins";

    /// <summary>true or false.</summary>
    public const string LeapOfFaith = "Cbb.LeapOfFaith";

    private const string Prefix = "Cbb.";
    private static readonly string[] s_keys = [Require, Bind, Plaintext, Pins, LeapOfFaith];

    /// <summary>Reads a cluster's metadata.</summary>
    /// <param name="clusterId">The cluster, for the error message.</param>
    /// <param name="metadata">The cluster's metadata (null: none).</param>
    /// <returns>The options, or null when the cluster has no <c>Cbb.*</c> key (a plain YARP cluster).</returns>
    /// <exception cref="IpsecClusterConfigurationException">When a value is bad, a key unknown, or values contradict each other.</exception>
    public static IpsecClusterOptions? Parse(string clusterId, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(clusterId);
        if (metadata is null || !metadata.Keys.Any(k => k.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        foreach (var key in metadata.Keys.Where(k => k.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)))
        {
            if (!s_keys.Contains(key, StringComparer.Ordinal))
            {
                throw new IpsecClusterConfigurationException(clusterId, key, metadata[key], "unknown key; the Cbb.* keys are " + string.Join(", ", s_keys));
            }
        }

        var bind = Boolean(clusterId, metadata, Bind) ?? false;
        var plaintext = Boolean(clusterId, metadata, Plaintext);
        var pins = metadata.GetValueOrDefault(Pins);
        var leap = Boolean(clusterId, metadata, LeapOfFaith) ?? false;
        if (plaintext == true && !bind)
        {
            throw new IpsecClusterConfigurationException(clusterId, Plaintext, "true", "plaintext follows a binding: set Cbb.Bind to true");
        }

        if (plaintext == false && bind)
        {
            // The client handler follows the backend's plaintext advertisement; it has no switch to refuse it.
            throw new IpsecClusterConfigurationException(clusterId, Plaintext, "false", "a bound cluster uses the plaintext endpoint its backend advertises; turn plaintext off at the backend");
        }

        if (pins is not null && string.IsNullOrWhiteSpace(pins))
        {
            throw new IpsecClusterConfigurationException(clusterId, Pins, pins, "a file path");
        }

        if ((bind || leap) && pins is null)
        {
            throw new IpsecClusterConfigurationException(clusterId, bind ? Bind : LeapOfFaith, "true", "needs Cbb.Pins (a binding is kept with the destination's pin)");
        }

        return new IpsecClusterOptions
        {
            Require = Requirement(clusterId, metadata.GetValueOrDefault(Require)),
            Bind = bind,
            Plaintext = plaintext ?? bind,
            Pins = pins,
            LeapOfFaith = leap,
        };
    }

    private static IpsecChannelRequirement Requirement(string clusterId, string? value) => value switch
    {
        null or "allow-clear" => IpsecChannelRequirement.AllowClear,
        "protected" => IpsecChannelRequirement.RequireProtected,
        "verified" => IpsecChannelRequirement.RequireVerified,
        _ => throw new IpsecClusterConfigurationException(clusterId, Require, value, "allow-clear, protected or verified"),
    };

    private static bool? Boolean(string clusterId, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value)
            ? value switch
            {
                "true" or "True" => true,
                "false" or "False" => false,
                _ => throw new IpsecClusterConfigurationException(clusterId, key, value, "true or false"),
            }
            : null;
}
