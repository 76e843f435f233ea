using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Kestrel;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CbbToolkit.Lab.Tests.Kestrel.Authentication;

/// <summary>
/// Real ESP between two charons (raw public keys, a.test and b.test): Kestrel in B with kcore's UseIpsecChannel before
/// UseHttpsWithIpsecPeer and the IPsec scheme; an HttpClient in A that holds a client certificate. The verified client
/// is not asked for it and is authenticated as its IKE identity; a client whose flow no SA protects is asked.
/// </summary>
public sealed class KestrelClientCertificateDropTests
{
    private const int Port = 8443;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CharonPairOptions s_options = new()
    {
        Mode = CharonMode.Transport,
        Kernel = CharonKernel.Netlink,
        StartActionA = CharonStartAction.Trap,
        RequestId = 9,
        InstallPolicies = true,
        TrafficSelectorProtocol = "tcp",
        AddressA = IPAddress.Parse("10.98.0.1"),
        AddressB = IPAddress.Parse("10.98.0.2"),
        Address6A = IPAddress.Parse("fd00:98::1"),
        Address6B = IPAddress.Parse("fd00:98::2"),
        NamespacePrefix = "cbb-kauth-",
    };

    [Fact]
    public async Task VerifiedIkePeer_NotAskedForCertificate_AuthenticatedAsIkeId()
    {
        KernelEsp.Require();
        CharonLab.Require();
        await using var pair = await CharonPair.StartAsync(s_options, Ct);
        using var serverCertificate = SelfSigned("CN=b.test", server: true);
        using var clientCertificate = SelfSigned("CN=alice", server: false);
        var hostA = new LabHost(pair.A.Namespace, pair.A.Interface, pair.A.Address, pair.A.Address6!);
        var hostB = new LabHost(pair.B.Namespace, pair.B.Interface, pair.B.Address, pair.B.Address6!);
        var listen = TcpEcho.Open(hostB, AddressFamily.InterNetwork);
        listen.Bind(new IPEndPoint(pair.B.Address, Port));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddIpsecChannels(o => o.NetworkNamespace = pair.B.Namespace);
        builder.Services.Configure<CbbToolkit.Ipsec.Vici.ViciClientOptions>(o => o.SocketPath = Path.Combine(pair.B.Directory, "charon.vici"));
        builder.Services.AddAuthentication().AddIpsec();
        builder.WebHost.ConfigureKestrel(k => k.ListenHandle((ulong)listen.SafeHandle.DangerousGetHandle(), l =>
        {
            l.UseIpsecChannel();
            l.UseHttpsWithIpsecPeer(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (c, _, _) => c.Subject == "CN=alice";
            }, o => o.AcceptIpsecPeerAsPrincipal = true);
        }));
        await using var app = builder.Build();
        app.MapGet("/whoami", async (HttpContext c) =>
        {
            var result = await c.AuthenticateAsync("Ipsec");
            return Results.Json(new
            {
                name = result.Principal?.Identity?.Name,
                verified = c.Features.Get<IIpsecChannelFeature>()?.IsVerified,
                status = c.Features.Get<IIpsecChannelFeature>()?.Status.ToString(),
                clientCertificate = c.Features.Get<ITlsConnectionFeature>()?.ClientCertificate?.Subject,
            });
        });
        await app.StartAsync(Ct);

        using var http = Client(hostA, clientCertificate, serverCertificate);
        var json = await http.GetStringAsync(new Uri($"https://{pair.B.Address}:{Port}/whoami"), Ct);
        var who = JsonDocument.Parse(json).RootElement;

        Assert.True(who.GetProperty("verified").GetBoolean(), json);
        Assert.Equal(JsonValueKind.Null, who.GetProperty("clientCertificate").ValueKind);
        Assert.Equal("a.test", who.GetProperty("name").GetString());

        // Control: from B itself the flow has no SA, so the channel is not verified and the certificate is asked for.
        using var local = Client(hostB, clientCertificate, serverCertificate);
        var localJson = await local.GetStringAsync(new Uri($"https://{pair.B.Address}:{Port}/whoami"), Ct);
        var localWho = JsonDocument.Parse(localJson).RootElement;
        Assert.False(localWho.GetProperty("verified").GetBoolean(), localJson);
        Assert.Equal("CN=alice", localWho.GetProperty("clientCertificate").GetString());
        Assert.Equal(JsonValueKind.Null, localWho.GetProperty("name").ValueKind);
        await app.StopAsync(Ct);
    }

    private static HttpClient Client(LabHost host, X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = TcpEcho.Open(host, AddressFamily.InterNetwork);
                await socket.ConnectWithKeyManagementAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port),
                    TimeSpan.FromSeconds(45), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.ClientCertificates = [clientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(serverCertificate.RawData);
        return new HttpClient(handler);
    }

    private static X509Certificate2 SelfSigned(string subject, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
