using System.Net;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Kestrel;

// CbbProxy: YARP in front of backends, over verified IPsec channels on both hops (docs/yarp.md).
//   dotnet run --project samples/CbbProxy -- --CbbProxy:Listen=10.96.1.2:8080 --CbbProxy:Vici=/path/charon.vici
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Inbound: which IKE peers are trusted (section "IpsecChannels"); the VICI socket of this host's charon.
builder.Services.AddOptions<IpsecChannelsOptions>().Bind(builder.Configuration.GetSection("IpsecChannels"));
builder.Services.AddIpsecChannels();
if (builder.Configuration["CbbProxy:Vici"] is { Length: > 0 } vici)
{
    builder.Services.Configure<ViciClientOptions>(o => o.SocketPath = vici);
}

// Routes, clusters, Cbb.* metadata and the IpsecIdentity transform: section "ReverseProxy", YARP's own format.
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddIpsecChannelBinding();

// Plaintext endpoints for verified channels only: a connection whose channel is not verified is closed before any
// HTTP byte is read, so only what IKE authenticated reaches the routes.
var listen = builder.Configuration.GetSection("CbbProxy:Listen").Get<string[]>() ?? [];
if (listen.Length == 0)
{
    Console.Error.WriteLine("CbbProxy: no endpoint: set CbbProxy:Listen (IP:PORT, e.g. --CbbProxy:Listen:0=10.96.1.2:8080)");
    return 2;
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    foreach (var endpoint in listen)
    {
        kestrel.Listen(IPEndPoint.Parse(endpoint), l => l.RequireVerifiedIpsecChannel());
    }
});

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
