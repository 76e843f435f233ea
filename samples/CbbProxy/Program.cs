using System.Net;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Kestrel;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Server.Kestrel.Https;

// CbbProxy: YARP in front of backends, over verified IPsec channels on both hops (docs/yarp.md).
//   dotnet CbbProxy.dll --CbbProxy:Listen:0=10.96.1.2:8080 --CbbProxy:Vici=/path/charon.vici
//     [--CbbProxy:Tls=10.96.1.2:8443 --CbbProxy:Cert=PEM --CbbProxy:Key=PEM --CbbProxy:ClientCa=PEM]
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = builder.Configuration.GetSection("CbbProxy");
var listen = settings.GetSection("Listen").Get<string[]>() ?? [];
var tls = settings["Tls"];
if (listen.Length == 0 && tls is null)
{
    Console.Error.WriteLine("CbbProxy: no endpoint: set CbbProxy:Listen (IP:PORT, e.g. --CbbProxy:Listen:0=10.96.1.2:8080) or CbbProxy:Tls");
    return 2;
}

if (tls is not null && (settings["Cert"] is null || settings["Key"] is null))
{
    Console.Error.WriteLine("CbbProxy: CbbProxy:Tls needs CbbProxy:Cert and CbbProxy:Key (PEM files)");
    return 2;
}

// Inbound: which IKE peers are trusted (section "IpsecChannels"); the VICI socket of this host's charon.
builder.Services.AddOptions<IpsecChannelsOptions>().Bind(builder.Configuration.GetSection("IpsecChannels"));
builder.Services.AddIpsecChannels();
if (settings["Vici"] is { Length: > 0 } vici)
{
    builder.Services.Configure<ViciClientOptions>(o => o.SocketPath = vici);
}

// First contact over TLS binds the client's certificate principal to its IPsec channel and advertises the plaintext
// endpoint; later requests prove the binding there, without TLS or a certificate (docs/binding-protocol.md).
builder.Services.AddChannelBindingServer(o => o.PlaintextPort = listen.Length == 0 ? null : IPEndPoint.Parse(listen[0]).Port);
builder.Services.AddAuthentication()
    .AddCertificate(o =>
    {
        o.AllowedCertificateTypes = CertificateTypes.Chained;
        o.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
        o.RevocationMode = X509RevocationMode.NoCheck;
        if (settings["ClientCa"] is { Length: > 0 } ca)
        {
            o.CustomTrustStore.ImportFromPemFile(ca);
        }
    })
    .AddIpsec()
    .AddChannelBinding()
    .AddIpsecWhenVerified(CertificateAuthenticationDefaults.AuthenticationScheme);

// Routes with "AuthorizationPolicy": "default" admit authenticated callers only; an unbound plaintext caller is
// challenged (CBB-Challenge), which is how a bound client proves its binding.
builder.Services.AddAuthorization();

// Routes, clusters, Cbb.* metadata and the IpsecIdentity transform: section "ReverseProxy", YARP's own format.
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddIpsecChannelBinding();

var bindingPolicy = IpsecPolicy.Default with { ChannelBindings = ChannelBindingSelection.All };
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Plaintext endpoints serve verified channels only: any other connection is closed before one HTTP byte is read.
    foreach (var endpoint in listen)
    {
        kestrel.Listen(IPEndPoint.Parse(endpoint), l => l.RequireVerifiedIpsecChannel(o =>
        {
            o.AcceptsBindings = true;
            o.ChannelPolicy = bindingPolicy;
        }));
    }

    if (tls is not null)
    {
        kestrel.Listen(IPEndPoint.Parse(tls), l =>
        {
            l.UseIpsecChannel(o =>
            {
                o.Mode = IpsecChannelMode.Permissive;
                o.AcceptsBindings = true;
                o.ChannelPolicy = bindingPolicy;
            });
            l.UseHttpsWithIpsecPeer(
                https =>
                {
                    https.ServerCertificate = X509Certificate2.CreateFromPemFile(settings["Cert"]!, settings["Key"]);
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = (_, _, _) => true; // the Certificate scheme decides who it names
                });
        });
    }
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseChannelBinding();
app.MapReverseProxy();
await app.RunAsync();
return 0;
