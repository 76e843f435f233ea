using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Channels;
using CbbToolkit.Kestrel;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Testing.Charon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CbbToolkit.Lab.Tests.Kestrel.Channels;

/// <summary>
/// Two real charons (raw public keys, a.test and b.test, transport mode, trap on A) and a real Kestrel in B whose
/// plaintext endpoint is <c>RequireVerifiedIpsecChannel</c> with bindings accepted (so ipsec-sa-binding is computed per
/// connection). <c>/whoami</c> answers with the connection's channel; <c>/hold</c> stays in flight until the connection
/// is aborted. Event 4120 (latch lost, connection aborted) is recorded with its time.
/// </summary>
internal sealed class EspKestrel : IAsyncDisposable
{
    public const int Port = 8080;

    private static readonly CharonPairOptions s_options = new()
    {
        Mode = CharonMode.Transport,
        Kernel = CharonKernel.Netlink,
        StartActionA = CharonStartAction.Trap,
        RequestId = 9,
        InstallPolicies = true,
        TrafficSelectorProtocol = "tcp",
        AddressA = IPAddress.Parse("10.97.0.1"),
        AddressB = IPAddress.Parse("10.97.0.2"),
        Address6A = IPAddress.Parse("fd00:97::1"),
        Address6B = IPAddress.Parse("fd00:97::2"),
        NamespacePrefix = "cbb-kesp-",
    };

    private readonly WebApplication _app;
    private readonly Socket _listen;

    private EspKestrel(CharonPair pair, WebApplication app, Socket listen, AbortLog aborts, HoldSignal holds)
    {
        Pair = pair;
        _app = app;
        _listen = listen;
        Aborts = aborts;
        Holds = holds;
    }

    public CharonPair Pair { get; }

    public LabHost HostA => new(Pair.A.Namespace, Pair.A.Interface, Pair.A.Address, Pair.A.Address6!);

    public LabHost HostB => new(Pair.B.Namespace, Pair.B.Interface, Pair.B.Address, Pair.B.Address6!);

    public AbortLog Aborts { get; }

    public HoldSignal Holds { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<EspKestrel> StartAsync(Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions, CharonPair>? listenMore = null, CancellationToken ct = default)
    {
        var pair = await CharonPair.StartAsync(s_options, ct);
        Socket? listen = null;
        try
        {
            var hostB = new LabHost(pair.B.Namespace, pair.B.Interface, pair.B.Address, pair.B.Address6!);
            listen = TcpEcho.Open(hostB, AddressFamily.InterNetwork);
            listen.Bind(new IPEndPoint(pair.B.Address, Port));
            var aborts = new AbortLog();
            var holds = new HoldSignal();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddProvider(aborts);
            builder.Services.AddIpsecChannels(o => o.NetworkNamespace = pair.B.Namespace);
            builder.Services.Configure<CbbToolkit.Ipsec.Vici.ViciClientOptions>(o => o.SocketPath = Path.Combine(pair.B.Directory, "charon.vici"));
            configure?.Invoke(builder);
            var handle = (ulong)listen.SafeHandle.DangerousGetHandle();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.ListenHandle(handle, l => l.RequireVerifiedIpsecChannel(o => o.AcceptsBindings = true));
                listenMore?.Invoke(k, pair);
            });
            var app = builder.Build();
            app.MapGet("/whoami", (HttpContext c) => Results.Json(WhoAmI(c)));
            app.MapGet("/hold", async (HttpContext c) =>
            {
                holds.Entered();
                await Task.Delay(TimeSpan.FromSeconds(60), c.RequestAborted);
                return "held";
            });
            map?.Invoke(app);
            await app.StartAsync(ct);
            return new EspKestrel(pair, app, listen, aborts, holds);
        }
        catch
        {
            listen?.Dispose();
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>What /whoami answers: the connection's channel as the middleware found it.</summary>
    public static object WhoAmI(HttpContext c)
    {
        var f = c.Features.Get<IIpsecChannelFeature>();
        var sa = f?.ChannelInfo is { } info && info.TryGet(ChannelAttributeType.IpsecSaBinding, out var v) ? Convert.ToHexStringLower(v.Span) : null;
        return new
        {
            connection = c.Connection.Id,
            status = f?.Status.ToString(),
            verified = f?.IsVerified,
            peerId = f?.Peer?.RemoteId,
            outboundSpi = f?.Channel?.Outbound.Spi,
            inboundSpi = f?.Channel?.Inbound.Spi,
            saBinding = sa,
            missingBinding = f?.MissingBindingReason,
            user = c.User.Identity?.Name,
            scheme = c.User.Identity?.AuthenticationType,
        };
    }

    /// <summary>A keep-alive HTTP/1.1 connection from A (key management asked for the SA when none is there yet).</summary>
    public async Task<RawHttpConnection> ConnectFromAAsync(CancellationToken ct)
    {
        var socket = TcpEcho.Open(HostA, AddressFamily.InterNetwork);
        try
        {
            await CbbToolkit.Ipsec.Sockets.SocketIpsecExtensions.ConnectWithKeyManagementAsync(socket, new IPEndPoint(Pair.B.Address, Port),
                TimeSpan.FromSeconds(45), ct);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            await _app.DisposeAsync();
            _listen.Dispose();
            await Pair.DisposeAsync();
        }
    }

    /// <summary>Records event 4120 (aborted: latch lost) with the Stopwatch time it was logged at, and event 4112 (refused).</summary>
    internal sealed class AbortLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<(long At, string Message)> _events = new();
        private readonly ConcurrentQueue<string> _refused = new();

        public IReadOnlyList<(long At, string Message)> Events => [.. _events];

        public IReadOnlyList<string> Refused => [.. _refused];

        public ILogger CreateLogger(string categoryName) => new Recorder(this);

        public void Dispose()
        {
        }

        private sealed class Recorder(AbortLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Id == 4120)
                {
                    log._events.Enqueue((Stopwatch.GetTimestamp(), formatter(state, exception)));
                }
                else if (eventId.Id == 4112)
                {
                    log._refused.Enqueue(formatter(state, exception));
                }
            }
        }
    }

    /// <summary>Completes each time /hold is entered.</summary>
    internal sealed class HoldSignal
    {
        private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next()
        {
            _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return _entered.Task;
        }

        public void Entered() => _entered.TrySetResult();
    }
}
