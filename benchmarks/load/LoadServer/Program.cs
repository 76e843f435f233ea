using System.Net;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Kestrel;

// LoadServer --bare IP:PORT[,IP:PORT] --permissive ... --strict ... [--tls IP:PORT --cert PEM --key PEM] [--vici unix:///PATH]
// One process, one route (GET / -> "ok"), so that the endpoints differ only in what runs per connection.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddIpsecChannels();
if (options.TryGetValue("--vici", out var vici))
{
    builder.Services.Configure<ViciClientOptions>(o => o.SocketPath = new Uri(vici).LocalPath);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    foreach (var endpoint in Endpoints("--bare"))
    {
        kestrel.Listen(endpoint);
    }

    foreach (var endpoint in Endpoints("--permissive"))
    {
        kestrel.Listen(endpoint, l => l.UseIpsecChannel(o => o.Mode = IpsecChannelMode.Permissive));
    }

    foreach (var endpoint in Endpoints("--strict"))
    {
        kestrel.Listen(endpoint, l => l.RequireVerifiedIpsecChannel());
    }

    if (options.TryGetValue("--tls", out var tls))
    {
        var certificate = X509Certificate2.CreateFromPemFile(options["--cert"], options["--key"]);
        kestrel.Listen(IPEndPoint.Parse(tls), l => l.UseHttps(certificate));
    }
});

var app = builder.Build();
app.MapGet("/", () => "ok");
await app.StartAsync();
Console.WriteLine("ready");
await app.WaitForShutdownAsync();

// A comma-separated list of IP:PORT.
IEnumerable<IPEndPoint> Endpoints(string option) =>
    options.TryGetValue(option, out var list) ? list.Split(',').Select(IPEndPoint.Parse) : [];
