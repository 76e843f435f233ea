using System.CommandLine;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Net;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary><c>cbb tls serve</c>: accepts TLS connections and prints each one's channel info once its handshake is done.</summary>
internal sealed class TlsServeCommand : CbbCommand
{
    private static readonly Option<IPEndPoint> Listen = CbbOptions.Parsed("--listen", "IP:PORT",
        "Address to listen on, e.g. 127.0.0.1:8443 or [::1]:8443; port 0 picks a free port.", ListenEndPoint, required: true);

    private static readonly Option<string> Cert = CbbOptions.Text("--cert", "CERT.pem", "Server certificate (PEM; chain certificates may follow).", required: true);
    private static readonly Option<string> Key = CbbOptions.Text("--key", "KEY.pem", "Private key of the certificate (PEM, unencrypted).", required: true);
    private static readonly Option<int> Count = CbbOptions.Int32("--count", "N", "Exit after printing N connections (default: run until Ctrl-C).", 1, int.MaxValue);

    /// <summary>Creates the command with its options.</summary>
    public TlsServeCommand()
        : base("serve", "Accept TLS connections and print each connection's channel info.")
    {
        Options.Add(Listen);
        Options.Add(Cert);
        Options.Add(Key);
        TlsOptions.AddVersionOptions(this);
        Options.Add(Count);
        Options.Add(TlsOptions.Json);
        Options.Add(TlsOptions.Timeout);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "Each connection is handled on its own: after the handshake the server prints the connection's channel info\n" +
        "to stdout, sends close_notify and closes - it reads and sends no application data. Client certificates are\n" +
        "not requested. Status lines ('listening on IP:PORT', failed handshakes) go to stderr; a failed handshake\n" +
        "is reported and does not count towards --count. (On TLS 1.3 a client refuses the server certificate only after\n" +
        "the server's side of the handshake is complete, so such a connection is printed and counted.)",
        "Stop with Ctrl-C or SIGTERM (exit 0). Exit codes: 0 done, 1 cannot listen or load the certificate, 2 usage error.",
        "Example: cbb tls serve --listen 127.0.0.1:8443 --cert cert.pem --key key.pem --count 1 --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var listen = parseResult.GetRequiredValue(Listen);
        var protocols = TlsOptions.Protocols(parseResult);
        var count = parseResult.GetValue(Count); // 0: not given, serve until stopped
        var timeout = TlsOptions.HandshakeTimeout(parseResult);
        var certificate = ServerCertificateLoader.Load(parseResult.GetRequiredValue(Cert), parseResult.GetRequiredValue(Key));

        using var listener = Bind(listen);
        await context.Error.WriteLineAsync($"listening on {HostPort.Format(listener.LocalEndPoint)}").ConfigureAwait(false);
        await context.Error.FlushAsync().ConfigureAwait(false);

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = protocols,
            ClientCertificateRequired = false,
        };
        var session = new TlsServeSession(
            options, new ReportWriter(context.Out, parseResult.GetValue(TlsOptions.Json)), context.Error, count, timeout, context.Time, context.Cancellation);
        var printed = await session.RunAsync(listener).ConfigureAwait(false);
        await context.Error.WriteLineAsync($"stopped after {printed} connection(s)").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static IPEndPoint ListenEndPoint(string text)
    {
        var listen = HostPort.Parse(text, "--listen", allowPortZero: true);
        var address = listen.Address
            ?? throw new UsageException("--listen takes an IP address and a port, e.g. 127.0.0.1:8443 or [::1]:8443, not a host name");
        return new IPEndPoint(address, listen.Port);
    }

    private static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = endPoint.Address.Equals(IPAddress.IPv6Any);
            }

            socket.Bind(endPoint);
            socket.Listen(128);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var hint = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "pick another port or stop the program that uses it",
                SocketError.AddressNotAvailable => "use an address of this machine, e.g. 127.0.0.1 or [::1]",
                SocketError.AccessDenied => "ports below 1024 need root or CAP_NET_BIND_SERVICE",
                _ => "check the address",
            };
            throw new CommandFailedException($"cannot listen on {HostPort.Format(endPoint)}: {e.Message}; {hint}", e);
        }
    }
}
