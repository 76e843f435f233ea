namespace CbbToolkit.Yarp.Clusters;

/// <summary>A cluster's <c>Cbb.*</c> metadata holds a bad value: the key, the value and what is expected.</summary>
public sealed class IpsecClusterConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value found (metadata is configuration, not a secret).</param>
    /// <param name="expected">What is allowed, in words.</param>
    public IpsecClusterConfigurationException(string clusterId, string key, string? value, string expected)
        : base($"Cluster '{clusterId}': metadata {key} = '{value}' is invalid: {expected}.")
    {
        ClusterId = clusterId;
        Key = key;
        Value = value;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IpsecClusterConfigurationException()
        : this("?", "?", null, "unknown")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public IpsecClusterConfigurationException(string message)
        : base(message)
    {
        ClusterId = Key = "?";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IpsecClusterConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        ClusterId = Key = "?";
    }

    /// <summary>The cluster whose metadata is bad.</summary>
    public string ClusterId { get; }

    /// <summary>The metadata key, e.g. <c>Cbb.Require</c>.</summary>
    public string Key { get; }

    /// <summary>The value found.</summary>
    public string? Value { get; }
}
