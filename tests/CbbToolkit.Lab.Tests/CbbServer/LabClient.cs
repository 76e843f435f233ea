using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CbbToolkit.Ipsec.Namespaces;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>
/// An HttpClient whose connections start in a network namespace (a plain <see cref="SocketsHttpHandler"/> with a
/// ConnectCallback), from a chosen source address, keeping one connection per server alive and recording the local port
/// of each it opens. TLS pins the server certificate's SHA-256 and offers a client certificate when given one.
/// </summary>
internal sealed class LabClient : IDisposable
{
    private readonly List<int> _ports = [];
    private readonly Func<string> _serverLog;

    /// <param name="serverLog">The server's log so far, added to the message of a request that fails.</param>
    public LabClient(string ns, IPAddress? source, X509Certificate2? certificate, string serverSha256, Func<string> serverLog)
    {
        _serverLog = serverLog;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ConnectCallback = async (context, ct) =>
            {
                var socket = NetworkNamespace.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                try
                {
                    socket.NoDelay = true;
                    if (source is not null)
                    {
                        socket.Bind(new IPEndPoint(source, 0));
                    }

                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
                    lock (_ports)
                    {
                        _ports.Add(((IPEndPoint)socket.LocalEndPoint!).Port);
                    }

                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "server.test",
                RemoteCertificateValidationCallback = (_, c, _, _) => LabCertificates.HasSha256(c, serverSha256),
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
            },
        };
        Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Http { get; }

    /// <summary>The local ports of the connections opened so far, in order.</summary>
    public IReadOnlyList<int> Ports
    {
        get
        {
            lock (_ports)
            {
                return [.. _ports];
            }
        }
    }

    /// <summary>GET /whoami (200 expected) with extra request headers; the JSON answer.</summary>
    public async Task<JsonElement> WhoAmIAsync(Uri server, CancellationToken ct, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/whoami"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET /whoami: {(int)response.StatusCode}: {body}\n{_serverLog()}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GET /secret's status.</summary>
    public async Task<HttpStatusCode> SecretAsync(Uri server, CancellationToken ct, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/secret"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await SendAsync(request, ct);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await Http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{request.Method} {request.RequestUri}: {e.Message}\n{_serverLog()}", e);
        }
    }

    public void Dispose() => Http.Dispose();
}
