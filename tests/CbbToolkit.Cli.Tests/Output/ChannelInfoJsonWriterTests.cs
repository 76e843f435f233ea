using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text.Json;
using CbbToolkit.Channels;
using CbbToolkit.Cli.Output;
using Xunit;

namespace CbbToolkit.Cli.Tests.Output;

public sealed class ChannelInfoJsonWriterTests
{
    private static readonly string[] RequiredKeys =
    [
        "tlsVersion", "cipherSuite", "tlsExporter", "tlsServerEndPoint", "tlsUnique", "extendedMasterSecret",
        "peerCertificateSha256", "peerSpkiSha256",
    ];

    private static byte[] Be16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void Tls13Info_OneLineCamelCaseHexAndNulls()
    {
        var exporter = RandomNumberGenerator.GetBytes(32);
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.TlsVersion, Be16(0x0304))
            .With(ChannelAttributeType.TlsCipherSuite, Be16((ushort)TlsCipherSuite.TLS_AES_256_GCM_SHA384))
            .With(ChannelAttributeType.TlsExporter, exporter);
        var report = ChannelInfoReport.Create(info, ChannelRole.Client, IPEndPoint.Parse("127.0.0.1:5"), IPEndPoint.Parse("[::1]:6"), "localhost");

        var line = ChannelInfoJsonWriter.Format(report);
        Assert.DoesNotContain('\n', line);
        var json = JsonDocument.Parse(line).RootElement;
        foreach (var key in RequiredKeys)
        {
            Assert.True(json.TryGetProperty(key, out _), key);
        }

        Assert.Equal("1.3", json.GetProperty("tlsVersion").GetString());
        Assert.Equal("TLS_AES_256_GCM_SHA384", json.GetProperty("cipherSuite").GetString());
        Assert.Equal(Convert.ToHexString(exporter).ToLowerInvariant(), json.GetProperty("tlsExporter").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tlsUnique").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("peerSpkiSha256").ValueKind);
        Assert.True(json.GetProperty("extendedMasterSecret").GetBoolean()); // TLS 1.3 binds its secrets to the transcript.
        Assert.Equal("[::1]:6", json.GetProperty("remote").GetString());
        Assert.Equal("client", json.GetProperty("role").GetString());
    }

    [Fact]
    public void Tls12WithoutEms_ExtendedMasterSecretFalse()
    {
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.TlsVersion, Be16(0x0303))
            .With(ChannelAttributeType.ExtendedMasterSecret, [0]);
        var json = JsonDocument.Parse(ChannelInfoJsonWriter.Format(ChannelInfoReport.Create(info, ChannelRole.Server, null, null, null))).RootElement;
        Assert.Equal("1.2", json.GetProperty("tlsVersion").GetString());
        Assert.False(json.GetProperty("extendedMasterSecret").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tlsExporter").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("cipherSuite").ValueKind);
    }

    [Fact]
    public void UnknownCipherSuite_ShownAsCodePoint()
    {
        Assert.Equal("0xfefe", ChannelInfoReport.CipherSuiteName((TlsCipherSuite)0xfefe));
    }
}
