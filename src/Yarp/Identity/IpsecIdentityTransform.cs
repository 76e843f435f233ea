using CbbToolkit.Kestrel;
using CbbToolkit.Yarp.Headers;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace CbbToolkit.Yarp.Identity;

/// <summary>
/// The <c>IpsecIdentity</c> request transform. The route's sanitizer (<see cref="IdentitySanitizingTransform"/>, always
/// first) has removed what the client sent; this sets what the proxy verified. The values come from the connection's
/// features, never from the client's headers, except in <see cref="IpsecIdentityMode.Append"/> from a trusted proxy.
/// </summary>
internal sealed class IpsecIdentityTransform(IpsecIdentityMode mode, IReadOnlyList<string> trustedUpstreamProxies) : RequestTransform
{
    public IpsecIdentityMode Mode { get; } = mode;

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Mode == IpsecIdentityMode.Sanitize)
        {
            return ValueTask.CompletedTask;
        }

        var http = context.HttpContext;
        if (Mode == IpsecIdentityMode.Append && FromTrustedUpstream(http) is { } upstreamId)
        {
            Forward(context, upstreamId);
            return ValueTask.CompletedTask;
        }

        if (IpsecIdentityHeaderFormatter.Format(http) is { } identity)
        {
            AddHeader(context, IpsecIdentityHeaderNames.CbbIdentity, identity);
        }

        if (http.Connection.ClientCertificate is { } certificate)
        {
            // RFC 9440 section 2.2: the DER certificate as a structured-field byte sequence.
            AddHeader(context, IpsecIdentityHeaderNames.ClientCert, ":" + Convert.ToBase64String(certificate.RawData) + ":");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The upstream proxy's IKE id when the connection is a verified channel from a proxy on the list.</summary>
    private string? FromTrustedUpstream(HttpContext http)
    {
        var channel = http.Features.Get<IIpsecChannelFeature>();
        if (channel is not { IsVerified: true, Peer.RemoteId: { } id } || !trustedUpstreamProxies.Contains(id, StringComparer.Ordinal))
        {
            return null;
        }

        return id;
    }

    /// <summary>Keeps the identity the trusted proxy forwarded, with its id appended to <c>via</c>; a malformed one is dropped.</summary>
    private static void Forward(RequestTransformContext context, string upstreamId)
    {
        var headers = context.HttpContext.Request.Headers;
        var forwarded = headers[IpsecIdentityHeaderNames.CbbIdentity].ToString();
        if (forwarded.Length > 0 && StructuredDictionaryParser.TryParse(forwarded, out var members))
        {
            var via = members.TryGetValue(IpsecIdentityKeys.Via, out var list) && list is IReadOnlyList<object> items
                ? items.OfType<string>().ToList()
                : [];
            via.Add(upstreamId);
            AddHeader(context, IpsecIdentityHeaderNames.CbbIdentity, IpsecIdentityForwarding.WithVia(members, via));
        }

        var certificate = headers[IpsecIdentityHeaderNames.ClientCert].ToString();
        if (certificate.Length > 2 && certificate[0] == ':' && certificate[^1] == ':' && IsBase64(certificate[1..^1]))
        {
            AddHeader(context, IpsecIdentityHeaderNames.ClientCert, certificate);
        }
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
