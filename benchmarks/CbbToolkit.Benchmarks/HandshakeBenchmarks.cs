using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 2 (issue 2): what a full TLS handshake costs on the same machine, for scale next to the converter. Each operation
/// connects a fresh TCP socket to a listener on 127.0.0.1, runs both ends of the handshake (same process, so both ends'
/// CPU is counted), and closes. TcpOnly is the same without TLS.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private static readonly IpsecPolicy s_exporterEndPointSpki = new()
    {
        ChannelBindings = TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint | TlsChannelBindings.PeerCertificate,
    };

    private X509Certificate2 _certificate = null!;
    private Socket _listener = null!;

    [GlobalSetup]
    public void Setup()
    {
        _certificate = EphemeralCertificate.CreateEcdsaP256();
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _certificate.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task Tls13_Handshake() => HandshakeAsync(SslProtocols.Tls13, convert: false);

    [Benchmark]
    public Task Tls12_Handshake() => HandshakeAsync(SslProtocols.Tls12, convert: false);

    /// <summary>Handshake plus the converter on the client end: what a channel-bound connection costs in all.</summary>
    [Benchmark]
    public Task Tls13_HandshakeAndConvert() => HandshakeAsync(SslProtocols.Tls13, convert: true);

    [Benchmark]
    public async Task TcpOnly()
    {
        var (client, server) = await ConnectAsync();
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    private async Task HandshakeAsync(SslProtocols protocols, bool convert)
    {
        var (clientTcp, serverTcp) = await ConnectAsync();
        await using var client = new SslStream(clientTcp, leaveInnerStreamOpen: false);
        await using var server = new SslStream(serverTcp, leaveInnerStreamOpen: false);
        await LoopbackTls.HandshakeAsync(client, server, _certificate, protocols);
        if (convert && !TlsChannelInfoConverter.FromSslStream(client, s_exporterEndPointSpki).Contains(ChannelAttributeType.TlsExporter))
        {
            throw new InvalidOperationException("No tls-exporter after the handshake.");
        }
    }

    private async Task<(NetworkStream Client, NetworkStream Server)> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = _listener.AcceptAsync();
        await client.ConnectAsync(_listener.LocalEndPoint!);
        var server = await accept;
        server.NoDelay = true;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }
}
