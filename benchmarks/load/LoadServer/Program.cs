using System.Diagnostics.Metrics;
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

// The middleware's own per-connection cost (resolve + verify + latch + channel info), from its resolve-duration histogram.
var resolves = new ResolveStats();
using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Name == "cbb.kestrel.resolve.duration")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => resolves.Add(seconds));
listener.Start();

var app = builder.Build();
app.MapGet("/", () => "ok");
app.MapGet("/stats", () => resolves.Snapshot());
await app.StartAsync();
Console.WriteLine("ready");
await app.WaitForShutdownAsync();

// A comma-separated list of IP:PORT.
IEnumerable<IPEndPoint> Endpoints(string option) =>
    options.TryGetValue(option, out var list) ? list.Split(',').Select(IPEndPoint.Parse) : [];

/// <summary>Count, mean and a rough median of the resolve durations seen (microseconds).</summary>
internal sealed class ResolveStats
{
    private readonly List<double> _all = [];

    public void Add(double seconds)
    {
        lock (_all)
        {
            _all.Add(seconds * 1e6);
        }
    }

    public object Snapshot()
    {
        lock (_all)
        {
            if (_all.Count == 0)
            {
                return new { count = 0 };
            }

            var sorted = _all.Order().ToArray();
            return new { count = sorted.Length, meanUs = sorted.Average(), medianUs = sorted[sorted.Length / 2], p90Us = sorted[(int)(sorted.Length * 0.9)] };
        }
    }
}
