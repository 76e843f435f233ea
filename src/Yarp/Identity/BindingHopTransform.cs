using CbbToolkit.Channels.Bindings.Http;
using Yarp.ReverseProxy.Transforms;

namespace CbbToolkit.Yarp.Identity;

/// <summary>
/// Keeps the channel-binding exchange on its own hop. A binding is between the client and the proxy (the proxy's
/// endpoints answer CBB-Bind and CBB-Resume themselves), so neither goes on to the backend; and what a backend says
/// about bindings on its hop (a challenge, an advertised plaintext endpoint) is not passed back to the client, which
/// would take it for the proxy's. The proxy's own binding headers on the response stay.
/// </summary>
internal static class BindingHopTransform
{
    private static readonly string[] RequestHeaders = [BindingHeaderNames.Bind, BindingHeaderNames.Resume];

    private static readonly string[] ResponseHeaders =
    [
        BindingHeaderNames.BindResult, BindingHeaderNames.ResumeResult, BindingHeaderNames.Challenge, BindingHeaderNames.Plaintext,
        BindingHeaderNames.Error,
    ];

    /// <summary>Removes the client's binding headers from the request to the backend.</summary>
    public static RequestTransform Request { get; } = new RequestFuncTransform(context =>
    {
        foreach (var header in RequestHeaders)
        {
            RequestTransform.RemoveHeader(context, header);
        }

        return ValueTask.CompletedTask;
    });

    /// <summary>Removes the backend's binding headers from the response to the client (the proxy's own are kept).</summary>
    public static ResponseTransform Response { get; } = new ResponseFuncTransform(context =>
    {
        if (context.ProxyResponse is not { } backend)
        {
            return ValueTask.CompletedTask;
        }

        var headers = context.HttpContext.Response.Headers;
        foreach (var header in ResponseHeaders)
        {
            if (backend.Headers.TryGetValues(header, out var theirs))
            {
                var kept = headers[header].ToArray().Except(theirs, StringComparer.Ordinal).ToArray();
                if (kept.Length == 0)
                {
                    headers.Remove(header);
                }
                else
                {
                    headers[header] = kept;
                }
            }
        }

        return ValueTask.CompletedTask;
    });
}
