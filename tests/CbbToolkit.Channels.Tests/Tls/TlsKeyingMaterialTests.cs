using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Testing.Certificates;
using Xunit;

namespace CbbToolkit.Channels.Tests.Tls;

public sealed class TlsKeyingMaterialTests(CertificateStore certificates)
{
    [Fact]
    public void SelfTest_PassesOnThisRuntime()
    {
        var support = TlsExporterSupport.Current;
        Assert.True(support.IsAvailable, support.Cause);
    }

    [Fact]
    public void SelfTestVerdict_UnequalShortOrZeroExporters_Unavailable()
    {
        var value = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var other = (byte[])value.Clone();
        other[31] ^= 1;

        Assert.True(TlsExporterSelfTest.Judge(value, value).IsAvailable);
        Assert.Equal(IpsecError.NotSupported, TlsExporterSelfTest.Judge(value, other).Error);
        Assert.Equal(IpsecError.NotSupported, TlsExporterSelfTest.Judge(value.AsSpan(0, 20), value.AsSpan(0, 20)).Error);
        Assert.Equal(IpsecError.NotSupported, TlsExporterSelfTest.Judge(new byte[32], new byte[32]).Error);
    }

    [Theory]
    [InlineData(IpsecError.ProtocolOptionUnavailable)]
    [InlineData(IpsecError.NotSupported)]
    public void Unavailable_ThrowsWithCauseAndRemedy(IpsecError error)
    {
        var support = TlsExporterSupport.Unavailable(error, "the private field SslStream._securityContext is missing.");

        var e = Assert.Throws<IpsecException>(support.ThrowIfUnavailable);

        Assert.Equal(error, e.Error);
        Assert.Contains("_securityContext is missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("TlsChannelBindings.TlsExporter", e.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet/runtime#112529", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task ChannelBinding_BothEnds_Equal32NonZeroOctets(SslProtocols protocol)
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, protocol);

        var client = TlsKeyingMaterial.ExportChannelBinding(tls.Client);
        var server = TlsKeyingMaterial.ExportChannelBinding(tls.Server);

        Assert.Equal(TlsKeyingMaterial.ChannelBindingLength, client.Length);
        Assert.Equal(client, server);
        Assert.Contains(client, b => b != 0);
    }

    [Fact]
    public async Task ChannelBinding_TwoSessions_Differ()
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var first = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        using var second = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);

        Assert.NotEqual(TlsKeyingMaterial.ExportChannelBinding(first.Client), TlsKeyingMaterial.ExportChannelBinding(second.Client));
    }

    [Fact]
    public async Task Export_Tls12_NoContextDiffersFromEmptyContext()
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls12);

        var noContext = TlsKeyingMaterial.Export(tls.Server, TlsKeyingMaterial.ChannelBindingLabel, [], useContext: false, 32);
        var emptyContext = TlsKeyingMaterial.Export(tls.Server, TlsKeyingMaterial.ChannelBindingLabel, [], useContext: true, 32);

        Assert.NotEqual(noContext, emptyContext);
        Assert.Equal(emptyContext, TlsKeyingMaterial.ExportChannelBinding(tls.Client));
        Assert.Equal(noContext, TlsKeyingMaterial.Export(tls.Client, TlsKeyingMaterial.ChannelBindingLabel, [], useContext: false, 32));
    }

    [Fact]
    public async Task Export_Tls13_NoContextEqualsEmptyContext()
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);

        var noContext = TlsKeyingMaterial.Export(tls.Client, TlsKeyingMaterial.ChannelBindingLabel, [], useContext: false, 32);

        Assert.Equal(TlsKeyingMaterial.ExportChannelBinding(tls.Server), noContext);
    }

    [Fact]
    public async Task Export_OtherLabelOrContext_DifferentValue()
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        var binding = TlsKeyingMaterial.ExportChannelBinding(tls.Client);

        var otherLabel = TlsKeyingMaterial.Export(tls.Client, "EXPORTER-cbbtoolkit-test", [], true, 32);
        var withContext = TlsKeyingMaterial.Export(tls.Client, TlsKeyingMaterial.ChannelBindingLabel, [1, 2, 3], true, 32);

        Assert.NotEqual(binding, otherLabel);
        Assert.NotEqual(binding, withContext);
        Assert.Equal(withContext, TlsKeyingMaterial.Export(tls.Server, TlsKeyingMaterial.ChannelBindingLabel, [1, 2, 3], true, 32));
    }

    [Theory]
    [InlineData("", 32, false)]
    [InlineData("EXPORTER-\u00e9", 32, false)]
    [InlineData("EXPORTER-x", 0, false)]
    [InlineData("EXPORTER-x", TlsKeyingMaterial.MaxLength + 1, false)]
    [InlineData("EXPORTER-x", 32, true)]
    public async Task Export_BadArguments_InvalidArgument(string label, int length, bool contextWithoutUseContext)
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        byte[] context = contextWithoutUseContext ? [1] : [];

        var e = Assert.Throws<IpsecException>(() => TlsKeyingMaterial.Export(tls.Client, label, context, useContext: false, length));

        Assert.Equal(IpsecError.InvalidArgument, e.Error);
    }

    [Fact]
    public void ChannelBinding_UnauthenticatedStream_NotConnected()
    {
        using var stream = new SslStream(new MemoryStream());

        var e = Assert.Throws<IpsecException>(() => TlsKeyingMaterial.ExportChannelBinding(stream));

        Assert.Equal(IpsecError.NotConnected, e.Error);
    }

    [Fact]
    public async Task ChannelBinding_DisposedStream_NotConnected()
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        tls.Client.Dispose();

        var e = Assert.Throws<IpsecException>(() => TlsKeyingMaterial.ExportChannelBinding(tls.Client));

        Assert.Equal(IpsecError.NotConnected, e.Error);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13, true)]
    [InlineData(SslProtocols.Tls12, true)]
    public async Task ExtendedMasterSecret_OpenSslDefaults_Reported(SslProtocols protocol, bool expected)
    {
        using var cert = certificates.Get("ecdsa-p256-sha256").Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, protocol);

        Assert.Equal(expected, TlsKeyingMaterial.GetExtendedMasterSecret(tls.Client));
        Assert.Equal(expected, TlsKeyingMaterial.GetExtendedMasterSecret(tls.Server));
    }
}
