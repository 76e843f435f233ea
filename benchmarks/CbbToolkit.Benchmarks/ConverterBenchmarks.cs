using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 1 (issue 2): <see cref="TlsChannelInfoConverter.FromSslStream(System.Net.Security.SslStream, IpsecPolicy)"/> on an
/// established loopback TLS 1.3 / TLS 1.2 (extended master secret) session with an ECDSA P-256 certificate. Goal: the
/// exporter + end-point + SPKI conversion under 20 us median. The Raw_* rows isolate what the converter builds on.
/// </summary>
[MemoryDiagnoser]
public class ConverterBenchmarks
{
    private static readonly IpsecPolicy s_exporterEndPointSpki = new()
    {
        ChannelBindings = TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint | TlsChannelBindings.PeerCertificate,
    };

    private static readonly IpsecPolicy s_serverExporterEndPointSpki = new()
    {
        ChannelBindings = TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint | TlsChannelBindings.LocalCertificate,
    };

    private static readonly IpsecPolicy s_exporter = new() { ChannelBindings = TlsChannelBindings.TlsExporter };
    private static readonly IpsecPolicy s_endPoint = new() { ChannelBindings = TlsChannelBindings.TlsServerEndPoint };
    private static readonly IpsecPolicy s_none = new() { ChannelBindings = TlsChannelBindings.None };

    private readonly byte[] _exported = new byte[TlsKeyingMaterial.ChannelBindingLength];
    private X509Certificate2 _certificate = null!;
    private LoopbackTls _tls = null!;

    /// <summary>The negotiated TLS version.</summary>
    [Params("1.3", "1.2")]
    public string Tls { get; set; } = "1.3";

    [GlobalSetup]
    public void Setup()
    {
        _certificate = EphemeralCertificate.CreateEcdsaP256();
        var protocols = Tls == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12;
        _tls = LoopbackTls.ConnectAsync(_certificate, protocols).GetAwaiter().GetResult();

        // Fail here, not with a fast wrong number: every row must really compute what it claims.
        var info = TlsChannelInfoConverter.FromSslStream(_tls.Client, s_exporterEndPointSpki, out var omitted);
        if (omitted.Count != 0 || info.UsesExtendedMasterSecret != true || !info.Contains(ChannelAttributeType.TlsExporter)
            || !info.Contains(ChannelAttributeType.TlsServerEndPoint) || !info.Contains(ChannelAttributeType.PeerSpkiSha256))
        {
            throw new InvalidOperationException($"Unexpected channel info on TLS {Tls}: {info}; omitted: {string.Join(" ", omitted.Select(o => o.Reason))}");
        }

        var server = TlsChannelInfoConverter.FromSslStream(_tls.Server, s_serverExporterEndPointSpki);
        if (!ChannelInfo.BindingEquals(info, server, ChannelAttributeType.TlsExporter))
        {
            throw new InvalidOperationException("Client and server tls-exporter values differ.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tls.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _certificate.Dispose();
    }

    /// <summary>The goal's row: tls-exporter, tls-server-end-point, peer certificate and its SPKI SHA-256 (client side).</summary>
    [Benchmark(Baseline = true)]
    public ChannelInfo Client_ExporterEndPointSpki() => TlsChannelInfoConverter.FromSslStream(_tls.Client, s_exporterEndPointSpki);

    /// <summary>The same on the server side (its own certificate is the end-point's and the SPKI's).</summary>
    [Benchmark]
    public ChannelInfo Server_ExporterEndPointSpki() => TlsChannelInfoConverter.FromSslStream(_tls.Server, s_serverExporterEndPointSpki);

    [Benchmark]
    public ChannelInfo Client_ExporterOnly() => TlsChannelInfoConverter.FromSslStream(_tls.Client, s_exporter);

    [Benchmark]
    public ChannelInfo Client_EndPointOnly() => TlsChannelInfoConverter.FromSslStream(_tls.Client, s_endPoint);

    /// <summary>Version, cipher suite, role, time and extended master secret only: the converter's fixed cost.</summary>
    [Benchmark]
    public ChannelInfo Client_NoBindings() => TlsChannelInfoConverter.FromSslStream(_tls.Client, s_none);

    /// <summary>One SSL_export_keying_material call through the OpenSSL session behind the stream (reflection, AddRef, P/Invoke).</summary>
    [Benchmark]
    public bool Raw_OpenSslExport() =>
        OpenSslSession.ExportKeyingMaterial(_tls.Client, _exported, "EXPORTER-Channel-Binding"u8, [], useContext: true);

    /// <summary>tls-server-end-point alone: parse the certificate's signature algorithm and hash it.</summary>
    [Benchmark]
    public bool Raw_ServerEndPointHash() => TlsServerEndPoint.TryCompute(_certificate, out _, out _);
}
