using System.CommandLine;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Commands.Ipsec;
using CbbToolkit.Cli.Commands.Pins;
using CbbToolkit.Cli.Commands.Tls;
using CbbToolkit.Cli.Commands.Vici;
using CbbToolkit.Cli.Output;
using CbbToolkit.Http;

namespace CbbToolkit.Cli.Commands.Http;

/// <summary>
/// <c>cbb http get URL</c>: one GET through the IPsec channel handler (src/HttpClient), and what carried it: the
/// channel, TLS, the credentials sent, the binding and the pin.
/// </summary>
internal sealed class HttpGetCommand : CbbCommand
{
    /// <summary>The default for --timeout, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 30;

    private static readonly Option<string> Cert = CbbOptions.Text("--cert", "CERT.pem", "Client certificate to present (PEM; needs --key).");
    private static readonly Option<string> Key = CbbOptions.Text("--key", "KEY.pem", "Private key of the client certificate (PEM, unencrypted).");
    private static readonly Option<IReadOnlyList<HeaderLine>> Headers = HeaderOption();
    private static readonly Option<string> Ca = CbbOptions.Text("--ca", "CA.pem",
        "Trust only these CA certificates (PEM) for the server's certificate, instead of the system's roots.");
    private static readonly Option<bool> Insecure = CbbOptions.Flag("--insecure",
        "Do not refuse a server certificate that fails validation (a warning goes to stderr); pins are still checked.");
    private static readonly Option<string> PinStore = CbbOptions.Parsed("--pins", "PATH",
        "Check the server against this pin store (cbb pins); with --leap-of-faith the default is $XDG_CONFIG_HOME/cbb/pins.db.",
        value => PinsOptions.CheckedStorePath(value, "--pins"));
    private static readonly Option<bool> LeapOfFaith = CbbOptions.Flag("--leap-of-faith",
        "Let first contact with an unpinned server pin it (the binding made over TLS is stored with the pin).");
    private static readonly Option<bool> RequireVerified = CbbOptions.Flag("--require-verified",
        "Refuse the request unless IPsec carries the connection and the IKE daemon authenticated the peer.");
    private static readonly Option<bool> Json = CbbOptions.Flag("--json", "Print one JSON object (keys in camelCase) instead of text.");
    private static readonly Option<int> Timeout = CbbOptions.Int32("--timeout", "SECONDS",
        "Give up when no response came by then.", 1, 3600, DefaultTimeoutSeconds);

    private readonly Argument<Uri> _url = CbbOptions.Argument("URL", "An http:// or https:// URL.", ParseUrl);

    /// <summary>Creates the command with its options.</summary>
    public HttpGetCommand()
        : base("get", "GET a URL through the IPsec channel handler and show what carried it: channel, TLS, credentials, binding, pin.")
    {
        Arguments.Add(_url);
        Options.Add(Cert);
        Options.Add(Key);
        Options.Add(Headers);
        Options.Add(Ca);
        Options.Add(Insecure);
        Options.Add(PinStore);
        Options.Add(LeapOfFaith);
        Options.Add(RequireVerified);
        Options.Add(ViciOptions.Uri);
        Options.Add(Json);
        Options.Add(Timeout);
        Validators.Add(result =>
        {
            if ((result.GetResult(Cert) is null) != (result.GetResult(Key) is null))
            {
                result.AddError($"{Cert.Name} and {Key.Name} go together: give both, or neither");
            }

            if (result.GetResult(Ca) is not null && result.GetValue(Insecure))
            {
                result.AddError($"{Ca.Name} and {Insecure.Name} cannot be used together: trust a CA, or validate nothing");
            }
        });
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "The request goes through IpsecChannelHandlerFactory (docs/httpclient.md): the connection's IPsec channel is\n" +
        "resolved after connect (the peer asked of the IKE daemon at --vici), TLS runs with the given client certificate\n" +
        "and trust, and the server is checked against the pin store when --pins or --leap-of-faith is given.",
        "--json prints one object: " + HttpGetJson.Fields + ". credentialsSent is true when an Authorization header or a\n" +
        "client certificate went out; url is the URL actually used; binding.state is created, used, none or refused;\n" +
        "pin.state is stored, matched, mismatch or none; refused says why the request was refused, else null.\n" +
        "Without --json: a summary (response, url, tls, credentials, channel, binding, pin), then the body.",
        "Exit codes: 0 an HTTP response came (whatever its status), 1 refused (pin mismatch, binding refused,\n" +
        "--require-verified and the channel is not verified; the reason on stderr, and with --json the object too) or\n" +
        "failed (connection, TLS, certificate, file), 2 usage error, 130 interrupted.",
        "Example: cbb http get https://api.example/whoami --cert me.pem --key me.key --pins ~/.config/cbb/pins.db --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var url = parseResult.GetRequiredValue(_url);
        var json = parseResult.GetValue(Json);
        var check = new ServerCertificateCheck(parseResult.GetValue(Insecure));
        var tls = TlsOptionsOf(parseResult, check);
        var leapOfFaith = parseResult.GetValue(LeapOfFaith);
        var storePath = parseResult.GetValue(PinStore) ?? (leapOfFaith ? PinStoreOptions.DefaultPath : null);
        using var pins = OpenPins(storePath, leapOfFaith);
        var peers = new OnDemandPeerSource(ViciOptions.SocketPath(parseResult));
        await using (peers.ConfigureAwait(false))
        {
            using var handler = IpsecChannelHandlerFactory.Create(o =>
            {
                o.Tls = tls;
                o.PeerSource = peers;
                o.Pins = pins;
                o.AllowLeapOfFaith = leapOfFaith;
                o.Requirement = parseResult.GetValue(RequireVerified) ? IpsecChannelRequirement.RequireVerified : IpsecChannelRequirement.AllowClear;
                o.TimeProvider = context.Time;
            });
            using var client = new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            foreach (var header in parseResult.GetValue(Headers) ?? [])
            {
                if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value))
                {
                    throw new UsageException($"--header: '{header.Name}' is a content header, which a GET request does not carry");
                }
            }

            var timeout = TimeSpan.FromSeconds(parseResult.GetValue(Timeout));
            var report = await SendAsync(client, request, url, check, storePath, timeout, context).ConfigureAwait(false);
            return await WriteAsync(report, json, check, context).ConfigureAwait(false);
        }
    }

    private static async Task<HttpGetReport> SendAsync(HttpClient client, HttpRequestMessage request, Uri url, ServerCertificateCheck check,
        string? storePath, TimeSpan timeout, CommandContext context)
    {
        using var timer = new CancellationTokenSource(timeout, context.Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, timer.Token);
        try
        {
            using var response = await client.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            var exchange = response.GetIpsecExchange();
            return new HttpGetReport(url, exchange)
            {
                Status = (int)response.StatusCode,
                ReasonPhrase = response.ReasonPhrase,
                Body = body,
                Refusal = exchange?.Binding == IpsecBindingState.Refused
                    ? $"binding refused ({exchange.BindingReason ?? "no reason given"}); the request was sent again over TLS with the credentials"
                    : null,
            };
        }
        catch (HttpRequestException e) when (Find<PinMismatchException>(e) is { } mismatch)
        {
            return new HttpGetReport(url, request.GetIpsecExchange())
            {
                Refusal = $"pin mismatch: {mismatch.Message.TrimEnd('.')}; if the server's key really changed, remove the pin " +
                          $"(cbb pins remove {mismatch.Authority} --store {storePath}) and connect again with --leap-of-faith",
            };
        }
        catch (HttpRequestException e) when (Find<IpsecChannelRefusedException>(e) is { } refused)
        {
            return new HttpGetReport(url, request.GetIpsecExchange())
            {
                Refusal = $"channel refused ({XfrmNames.Kebab(refused.Reason)}): {refused.Message.TrimEnd('.')}",
                ChannelRefusal = refused.Reason,
            };
        }
        catch (HttpRequestException e) when (Find<AuthenticationException>(e) is not null && check.Failure is not null)
        {
            throw new CommandFailedException(
                $"certificate validation failed for {url.Authority}: {check.Failure}; trust its CA with --ca CA.pem, or use --insecure", e);
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailedException($"GET {url} failed: {TlsOptions.Describe(e)}; check the URL, that the server listens there, and its TLS", e);
        }
        catch (OperationCanceledException e) when (!context.Cancellation.IsCancellationRequested)
        {
            throw new CommandFailedException($"no response from {url.Authority} within {timeout.TotalSeconds} s; check the server, or raise --timeout", e);
        }
    }

    private static async Task<int> WriteAsync(HttpGetReport report, bool json, ServerCertificateCheck check, CommandContext context)
    {
        if (check.Failure is not null)
        {
            await context.Error.WriteLineAsync($"warning: the server certificate was NOT validated (--insecure): {check.Failure}").ConfigureAwait(false);
        }

        if (json)
        {
            await context.Out.WriteLineAsync(HttpGetJson.Format(report)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in HttpGetText.Format(report))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        await context.Out.FlushAsync(context.Cancellation).ConfigureAwait(false);
        if (report.Refusal is { } refusal)
        {
            await context.Error.WriteLineAsync($"{CommandPath.RootName} http get: refused: {refusal}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private static SslClientAuthenticationOptions TlsOptionsOf(ParseResult parseResult, ServerCertificateCheck check)
    {
        var tls = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = check.Validate };
        if (parseResult.GetValue(Cert) is { } cert)
        {
            // The same loader as the server's: the leaf with its key, chain certificates after it in the file.
            tls.ClientCertificateContext = ServerCertificateLoader.Load(cert, parseResult.GetRequiredValue(Key));
        }

        if (parseResult.GetValue(Ca) is { } ca)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(LoadCertificates(ca));
            tls.CertificateChainPolicy = policy;
        }

        return tls;
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read the CA certificates '{path}': {TlsOptions.Describe(e)}; --ca takes a PEM file", e);
        }

        return certificates.Count > 0
            ? certificates
            : throw new CommandFailedException($"'{path}' holds no certificate (BEGIN CERTIFICATE); --ca takes a PEM file of CA certificates");
    }

    // No store unless asked for: --pins checks (and, with --leap-of-faith, writes) that store; --leap-of-faith alone the default one.
    // Without --leap-of-faith a store that does not exist is not created: nothing is pinned, so nothing is checked.
    private static SqlitePinStore? OpenPins(string? path, bool leapOfFaith)
    {
        if (path is null)
        {
            return null;
        }

        var options = Microsoft.Extensions.Options.Options.Create(new PinStoreOptions { Path = path });
        return leapOfFaith ? new SqlitePinStore(options) : SqlitePinStore.OpenExisting(options);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new UsageException($"URL must be an absolute http:// or https:// URL, not '{text}'");

    private static Option<IReadOnlyList<HeaderLine>> HeaderOption() =>
        new("--header")
        {
            Description = "A request header, \"Name: value\"; may be given more than once (e.g. \"Authorization: Bearer ...\").",
            HelpName = "\"Name: value\"",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result =>
            {
                var headers = new List<HeaderLine>();
                foreach (var token in result.Tokens)
                {
                    try
                    {
                        headers.Add(HeaderLine.Parse(token.Value));
                    }
                    catch (UsageException e)
                    {
                        result.AddError(e.Message);
                    }
                }

                return headers;
            },
        };
}
