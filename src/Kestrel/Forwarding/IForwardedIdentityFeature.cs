namespace CbbToolkit.Kestrel.Forwarding;

/// <summary>Set on a request whose identity headers were accepted: it came from a known proxy over a verified channel.</summary>
public interface IForwardedIdentityFeature
{
    /// <summary>The IKE id of the proxy that forwarded the request (the verified peer of the connection).</summary>
    string ProxyId { get; }
}

internal sealed record ForwardedIdentityFeature(string ProxyId) : IForwardedIdentityFeature;
