using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Testing.Certificates;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings.Threats;

/// <summary>One real loopback TLS session (SslStream on both ends) with a binding exchange, log and meters per role.</summary>
internal sealed class BoundSession : IDisposable
{
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;

    private BoundSession(TlsLoopback tls, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, BindingExchangeOptions? serverOptions)
    {
        Tls = tls;
        _certificate = certificate;
        Server = new ExchangeUnderTest(serverOptions);
    }

    public TlsLoopback Tls { get; }

    public ExchangeUnderTest Client { get; } = new();

    public ExchangeUnderTest Server { get; }

    public static async Task<BoundSession> ConnectAsync(CertificateStore certificates, SslProtocols protocols = SslProtocols.Tls13, BindingExchangeOptions? serverOptions = null)
    {
        // Kept until Dispose: the server stream's LocalCertificate is this object.
        var certificate = certificates.Get("ecdsa-p256-sha256").Load();
        return new BoundSession(await TlsLoopback.ConnectAsync(certificate, protocols), certificate, serverOptions);
    }

    /// <summary>A complete first contact where each end sees its own IPsec channel; returns both records.</summary>
    public (ChannelBindingRecord Client, ChannelBindingRecord Server) Bind(ChannelInfo clientChannel, ChannelInfo serverChannel)
    {
        using var state = Client.Exchange.BeginClientFirstContact(Tls.Client, clientChannel);
        var (response, server) = Server.Exchange.AcceptClientFirstContact(Tls.Server, serverChannel, state.Request, IpsecIdentity.Unauthenticated, Principal)!.Value;
        var client = Client.Exchange.CompleteClientFirstContact(state, response, IpsecIdentity.Unauthenticated, "localhost:8443");
        return (client, server);
    }

    public static BoundPrincipal Principal { get; } = new("CN=client", "Certificate", []);

    public void Dispose()
    {
        Tls.Dispose();
        _certificate.Dispose();
        Client.Dispose();
        Server.Dispose();
    }
}

/// <summary>Assertions that a refusal is loud: a typed exception, a log event and a metric, exactly once.</summary>
internal static class Refusals
{
    public const int RefusedEventId = 3601;

    /// <summary>Runs <paramref name="act"/> and asserts it was refused for <paramref name="reason"/>, logged and counted by <paramref name="side"/>.</summary>
    public static ChannelBindingException Assert(ExchangeUnderTest side, BindingFailureReason reason, Action act)
    {
        var countBefore = side.Refused(reason);
        var logBefore = Events(side).Count;
        var e = Xunit.Assert.Throws<ChannelBindingException>(act);
        Check(side, reason, e, countBefore, logBefore);
        return e;
    }

    /// <summary>The same for an asynchronous exchange.</summary>
    public static async Task<ChannelBindingException> AssertAsync(ExchangeUnderTest side, BindingFailureReason reason, Func<Task> act)
    {
        var countBefore = side.Refused(reason);
        var logBefore = Events(side).Count;
        var e = await Xunit.Assert.ThrowsAsync<ChannelBindingException>(act);
        Check(side, reason, e, countBefore, logBefore);
        return e;
    }

    private static void Check(ExchangeUnderTest side, BindingFailureReason reason, ChannelBindingException e, long countBefore, int logBefore)
    {
        Xunit.Assert.Equal(reason, e.Reason);
        Xunit.Assert.EndsWith(ChannelBindingException.FallbackAdvice, e.Message, StringComparison.Ordinal); // the result says what to do
        Xunit.Assert.Equal(countBefore + 1, side.Refused(reason));
        var logged = Xunit.Assert.Single(Events(side).Skip(logBefore));
        Xunit.Assert.Equal(LogLevel.Warning, logged.Level);
        if (reason == BindingFailureReason.PeerRefused)
        {
            Xunit.Assert.Equal(3604, logged.Id.Id);
        }
        else
        {
            Xunit.Assert.Equal(RefusedEventId, logged.Id.Id);
            Xunit.Assert.Contains(reason.ToToken(), logged.Message, StringComparison.Ordinal);
        }

        Xunit.Assert.Contains("Falling back to TLS and the normal credentials", logged.Message, StringComparison.Ordinal);
    }

    private static List<(EventId Id, LogLevel Level, string Message)> Events(ExchangeUnderTest side)
    {
        lock (side.Log.Events)
        {
            return [.. side.Log.Events];
        }
    }
}

/// <summary>A real TCP connection on loopback and each end's view of its 5-tuple (for later connections, without TLS).</summary>
internal sealed class PlainConnection : IAsyncDisposable
{
    private PlainConnection(NetworkStream client, NetworkStream server)
    {
        Client = client;
        Server = server;
        ClientFlow = new IpsecFlow((IPEndPoint)client.Socket.LocalEndPoint!, (IPEndPoint)client.Socket.RemoteEndPoint!, ProtocolType.Tcp);
        ServerFlow = new IpsecFlow((IPEndPoint)server.Socket.LocalEndPoint!, (IPEndPoint)server.Socket.RemoteEndPoint!, ProtocolType.Tcp);
    }

    public NetworkStream Client { get; }

    public NetworkStream Server { get; }

    public IpsecFlow ClientFlow { get; }

    public IpsecFlow ServerFlow { get; }

    public static async Task<PlainConnection> OpenAsync()
    {
        var (client, server) = await TlsLoopback.ConnectTcpAsync();
        client.ReadTimeout = server.ReadTimeout = 30_000;
        return new PlainConnection(client, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}

internal static class Channels
{
    public static readonly byte[] Sa = TestChannels.Value(1);
    public static readonly byte[] OtherSa = TestChannels.Value(2);
    public static readonly byte[] EndPoint = TestChannels.Value(3);

    /// <summary>Both ends of one honest IPsec channel: the same ipsec-sa-binding, latched.</summary>
    public static ChannelInfo Honest(byte[]? sa = null) => TestChannels.Make(sa ?? Sa);

    public static BindingMessage WithProof(BindingMessage m, byte[] proof) => m.Type switch
    {
        BindingMessageType.ClientFirstContact => BindingMessage.ClientFirstContact(m.Covered, proof),
        BindingMessageType.ServerFirstContact => BindingMessage.ServerFirstContact(m.Covered, m.BindingId, m.LifetimeSeconds, proof),
        BindingMessageType.ClientResume => BindingMessage.ClientResume(m.BindingId, m.Nonce.Span, proof),
        BindingMessageType.ServerResume => BindingMessage.ServerResume(proof),
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };
}
