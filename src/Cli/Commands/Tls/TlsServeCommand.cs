using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Net;
using CbbToolkit.Cli.Output;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary><c>cbb tls serve</c>: accepts TLS connections and prints each one's channel info once its handshake is done.</summary>
internal sealed class TlsServeCommand : Command
{
    private static readonly OptionSpec Listen = new("--listen", "IP:PORT",
        "Address to listen on, e.g. 127.0.0.1:8443 or [::1]:8443; port 0 picks a free port.", Required: true);
    private static readonly OptionSpec Cert = new("--cert", "CERT.pem", "Server certificate (PEM; chain certificates may follow).", Required: true);
    private static readonly OptionSpec Key = new("--key", "KEY.pem", "Private key of the certificate (PEM, unencrypted).", Required: true);
    private static readonly OptionSpec Count = new("--count", "N", "Exit after printing N connections (default: run until Ctrl-C).");

    /// <inheritdoc/>
    public override string Name => "serve";

    /// <inheritdoc/>
    public override string Summary => "Accept TLS connections and print each connection's channel info.";

    /// <inheritdoc/>
    public override IReadOnlyList<OptionSpec> Options { get; } =
        [Listen, Cert, Key, TlsOptions.Tls12, TlsOptions.Tls13, Count, TlsOptions.Json, TlsOptions.Timeout];

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
    public override async Task<int> RunAsync(ParsedArguments arguments, CommandContext context)
    {
        var listen = HostPort.Parse(arguments.Value(Listen.Name)!, Listen.Name, allowPortZero: true);
        var address = listen.Address
            ?? throw new UsageException($"{Listen.Name} takes an IP address and a port, e.g. 127.0.0.1:8443 or [::1]:8443, not a host name");
        var protocols = TlsOptions.Protocols(arguments);
        var count = arguments.Int32(Count.Name, 0, 1, int.MaxValue);
        var timeout = TlsOptions.HandshakeTimeout(arguments);
        var certificate = ServerCertificateLoader.Load(arguments.Value(Cert.Name)!, arguments.Value(Key.Name)!);

        using var listener = Bind(new IPEndPoint(address, listen.Port));
        await context.Error.WriteLineAsync($"listening on {HostPort.Format(listener.LocalEndPoint)}").ConfigureAwait(false);
        await context.Error.FlushAsync().ConfigureAwait(false);

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = protocols,
            ClientCertificateRequired = false,
        };
        var session = new TlsServeSession(
            options, new ReportWriter(context.Out, arguments.Has(TlsOptions.Json.Name)), context.Error, count, timeout, context.Time, context.Cancellation);
        var printed = await session.RunAsync(listener).ConfigureAwait(false);
        await context.Error.WriteLineAsync($"stopped after {printed} connection(s)").ConfigureAwait(false);
        return ExitCodes.Success;
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
