using System.CommandLine;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Net;
using CbbToolkit.Cli.Output;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary><c>cbb tls inspect HOST:PORT</c>: connects as a TLS client and prints the connection's channel info.</summary>
internal sealed class TlsInspectCommand : CbbCommand
{
    private static readonly Option<string> Sni = CbbOptions.Text("--sni", "NAME", "Server name to send and to check the certificate against (default: HOST).");
    private static readonly Option<bool> Insecure = CbbOptions.Flag("--insecure", "Do not refuse a certificate that fails validation (a warning goes to stderr).");

    private readonly Argument<HostPort> _target = CbbOptions.Argument("HOST:PORT",
        "The server: a host name, an IPv4 address or an [IPv6] address, and a port.", text => HostPort.Parse(text, "HOST:PORT"));

    /// <summary>Creates the command with its options.</summary>
    public TlsInspectCommand()
        : base("inspect", "Connect to a TLS server and print the connection's channel info.")
    {
        Arguments.Add(_target);
        Options.Add(Sni);
        Options.Add(Insecure);
        TlsOptions.AddVersionOptions(this);
        Options.Add(TlsOptions.Json);
        Options.Add(TlsOptions.Timeout);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "The server certificate is validated against the system's trusted roots and the server name, as any TLS client\n" +
        "does; the connection is closed (close_notify) right after the handshake, without application data.",
        "Exit codes: 0 printed, 1 connection/TLS/certificate failure, 2 usage error, 130 interrupted.",
        "Example: cbb tls inspect example.org:443 --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var target = parseResult.GetRequiredValue(_target);
        var protocols = TlsOptions.Protocols(parseResult);
        var timeout = TlsOptions.HandshakeTimeout(parseResult);
        var serverName = parseResult.GetValue(Sni) ?? target.Host;
        var check = new ServerCertificateCheck(parseResult.GetValue(Insecure));

        using var timer = new CancellationTokenSource(timeout, context.Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, timer.Token);
        using var socket = await ConnectAsync(target, timeout, deadline.Token, context.Cancellation).ConfigureAwait(false);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await using (tls.ConfigureAwait(false))
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = check.Validate,
            };
            try
            {
                await tls.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
            }
            catch (AuthenticationException e) when (check.Failure is not null)
            {
                throw new CommandFailedException(
                    $"certificate validation failed for {target}: {check.Failure}; use --insecure to inspect anyway", e);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                throw new CommandFailedException(
                    $"TLS handshake with {target} failed: {TlsOptions.Describe(e)}; check that the port speaks TLS " +
                    "and accepts the version you asked for (--tls12/--tls13)", e);
            }
            catch (OperationCanceledException e) when (!context.Cancellation.IsCancellationRequested)
            {
                throw new CommandFailedException(
                    $"no TLS handshake with {target} within {timeout.TotalSeconds} s; check that the port speaks TLS, or raise --timeout", e);
            }

            if (check.Failure is not null)
            {
                await context.Error.WriteLineAsync($"warning: the certificate was NOT validated (--insecure): {check.Failure}")
                    .ConfigureAwait(false);
            }

            var info = TlsChannelInfoConverter.FromSslStream(tls, IpsecPolicy.Default, context.Time, out var omitted);
            var report = ChannelInfoReport.Create(info, ChannelRole.Client, socket.LocalEndPoint, socket.RemoteEndPoint, serverName, omitted);
            new ReportWriter(context.Out, parseResult.GetValue(TlsOptions.Json)).Write(report, heading: null);
            await TlsClose.QuietlyAsync(tls, context.Time).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task<Socket> ConnectAsync(HostPort target, TimeSpan timeout, CancellationToken deadline, CancellationToken interrupt)
    {
        // A dual-mode socket reaches both address families when HOST is a name; an IP literal picks its own family.
        var socket = target.Address is { } ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (target.Address is { } address)
            {
                await socket.ConnectAsync(new IPEndPoint(address, target.Port), deadline).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(target.Host, target.Port, deadline).ConfigureAwait(false);
            }

            socket.NoDelay = true;
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new CommandFailedException(e.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    $"cannot resolve '{target.Host}': {e.Message}; check the host name",
                SocketError.ConnectionRefused =>
                    $"cannot connect to {target}: connection refused; check that a TLS server listens on that address and port",
                _ => $"cannot connect to {target}: {e.Message}; check the address and the network",
            }, e);
        }
        catch (OperationCanceledException e) when (!interrupt.IsCancellationRequested)
        {
            socket.Dispose();
            throw new CommandFailedException(
                $"cannot connect to {target}: no answer within {timeout.TotalSeconds} s; check the address, or raise --timeout", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
