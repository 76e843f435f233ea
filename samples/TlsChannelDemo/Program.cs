// The README's main demo: a real TLS server and client on loopback, each computing its own channel info with
// CbbToolkit's converter, printed side by side. It checks what channel bindings promise and exits 1 if any fails:
// both ends agree on tls-exporter and tls-server-end-point (and tls-unique on TLS 1.2), and tls-exporter changes
// from one connection to the next while tls-server-end-point (a hash of the server certificate) does not.
using System.Security.Authentication;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using TlsChannelDemo;

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
using var serverCertificate = DemoCertificates.CreateServer();
using var clientCertificate = DemoCertificates.CreateClient();

Console.WriteLine("CbbToolkit TLS channel-info demo: a TLS server and a TLS client on 127.0.0.1 (SslStream over OpenSSL).");
Console.WriteLine("Each end computes the channel info of its own stream; mutual TLS, each end pinned to the other's certificate.");
Console.WriteLine($"  server certificate: {serverCertificate.Subject}, ECDSA P-256, self-signed, made for this run, " +
                  $"sha256 {SideBySide.Short(SHA256.HashData(serverCertificate.RawData))}");
Console.WriteLine($"  client certificate: {clientCertificate.Subject}, ECDSA P-256, self-signed, made for this run, " +
                  $"sha256 {SideBySide.Short(SHA256.HashData(clientCertificate.RawData))}");
Console.WriteLine("  (hex values are shortened to their first 16 digits; equality is checked on the full values)");

var failures = new List<string>();
void Check(bool ok, string what)
{
    if (!ok)
    {
        failures.Add(what);
    }
}

try
{
    foreach (var (version, name) in new[] { (SslProtocols.Tls13, "TLS 1.3"), (SslProtocols.Tls12, "TLS 1.2") })
    {
        var runs = new List<(ChannelInfo Client, ChannelInfo Server)>();
        for (var n = 1; n <= 2; n++)
        {
            var (client, server, path) = await LoopbackConnection.RunAsync(version, serverCertificate, clientCertificate, timeout.Token);
            Console.WriteLine();
            Console.WriteLine($"{name}, connection {n}: {path}, {SideBySide.Suite(client.CipherSuite)}" +
                              (client.CipherSuite == server.CipherSuite ? "" : $" (server: {SideBySide.Suite(server.CipherSuite)})"));
            SideBySide.Print(client, server);
            runs.Add((client, server));

            Check(client.CipherSuite == server.CipherSuite && client.TlsVersion == server.TlsVersion, $"{name} #{n}: same version and cipher suite");
            Check(SideBySide.Verdict(client, server, ChannelAttributeType.TlsExporter) == "equal", $"{name} #{n}: tls-exporter equal on both ends");
            Check(SideBySide.Verdict(client, server, ChannelAttributeType.TlsServerEndPoint) == "equal", $"{name} #{n}: tls-server-end-point equal");
            Check(version == SslProtocols.Tls13
                    ? !client.Contains(ChannelAttributeType.TlsUnique) && !server.Contains(ChannelAttributeType.TlsUnique)
                    : SideBySide.Verdict(client, server, ChannelAttributeType.TlsUnique) == "equal",
                $"{name} #{n}: tls-unique " + (version == SslProtocols.Tls13 ? "absent" : "equal"));
            Check(SideBySide.SameValue(client, ChannelAttributeType.PeerSpkiSha256, server, ChannelAttributeType.LocalSpkiSha256),
                $"{name} #{n}: the client's peer-spki-sha256 is the server's local-spki-sha256");
            Check(SideBySide.SameValue(server, ChannelAttributeType.PeerSpkiSha256, client, ChannelAttributeType.LocalSpkiSha256),
                $"{name} #{n}: the server's peer-spki-sha256 is the client's local-spki-sha256");
        }

        var (first, second) = (runs[0].Client, runs[1].Client);
        var exporterChanged = !ChannelInfo.BindingEquals(first, second, ChannelAttributeType.TlsExporter);
        var endPointKept = ChannelInfo.BindingEquals(first, second, ChannelAttributeType.TlsServerEndPoint);
        Console.WriteLine();
        Console.WriteLine($"{name}, connection 1 vs connection 2:");
        Console.WriteLine($"  tls-exporter          {(exporterChanged ? "differs" : "SAME")} - bound to each TLS session");
        Console.WriteLine($"  tls-server-end-point  {(endPointKept ? "same" : "DIFFERS")} - a hash of the server certificate (ECDSA-SHA256, so its SHA-256 above)");
        Check(first.GetBytes(ChannelAttributeType.TlsServerEndPoint) is { } endPoint && endPoint.AsSpan().SequenceEqual(SHA256.HashData(serverCertificate.RawData)),
            $"{name}: tls-server-end-point is the SHA-256 of the server certificate");
        Check(exporterChanged, $"{name}: tls-exporter differs across connections");
        Check(endPointKept, $"{name}: tls-server-end-point is the same across connections");
        if (version == SslProtocols.Tls12)
        {
            var uniqueChanged = !ChannelInfo.BindingEquals(first, second, ChannelAttributeType.TlsUnique);
            Console.WriteLine($"  tls-unique            {(uniqueChanged ? "differs" : "SAME")} - the first Finished message of each handshake");
            Check(uniqueChanged, $"{name}: tls-unique differs across connections");
        }
    }
}
catch (Exception e) when (e is CbbToolkit.Ipsec.IpsecException or AuthenticationException or IOException or OperationCanceledException)
{
    // A real failure of TLS or of the converter: say which, never print made-up values.
    Console.Error.WriteLine($"FAILED: {e.GetType().Name}: {e.Message}");
    return 1;
}

Console.WriteLine();
if (failures.Count > 0)
{
    Console.WriteLine($"FAILED: {string.Join("; ", failures)}");
    return 1;
}

Console.WriteLine("All checks passed: both ends agree on every binding; tls-exporter is fresh per connection.");
return 0;
