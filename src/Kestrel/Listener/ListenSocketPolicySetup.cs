using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Listener;

/// <summary>Wraps Kestrel's listen-socket factory (the default one, or the application's) so that requested listener policies are set on the bound socket.</summary>
internal sealed class ListenSocketPolicySetup(IpsecListenerPolicies policies) : IPostConfigureOptions<SocketTransportOptions>
{
    public void PostConfigure(string? name, SocketTransportOptions options)
    {
        var inner = options.CreateBoundListenSocket;
        options.CreateBoundListenSocket = endPoint =>
        {
            var socket = inner(endPoint);
            try
            {
                policies.Apply(endPoint, socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return socket;
        };
    }
}
