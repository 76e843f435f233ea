using System.Net;

namespace CbbToolkit.Http.Connections;

// What IpsecChannelHandler tells its inner SocketsHttpHandler's ConnectCallback through the request.
internal static class HandlerRequestOptions
{
    // The host TLS is for: set on https requests the handler rewrote to http so that it runs the handshake itself.
    public static readonly HttpRequestOptionsKey<string> TlsTargetHost = new("CbbToolkit.Http.TlsTargetHost");

    // The ALPN protocol the connection must negotiate (h2 or http/1.1).
    public static readonly HttpRequestOptionsKey<Version> TlsHttpVersion = new("CbbToolkit.Http.TlsHttpVersion");

    public static readonly Version Http11 = HttpVersion.Version11;
}
