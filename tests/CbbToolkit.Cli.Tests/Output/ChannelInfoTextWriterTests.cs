using System.Buffers.Binary;
using CbbToolkit.Channels;
using CbbToolkit.Cli.Output;
using Xunit;

namespace CbbToolkit.Cli.Tests.Output;

public sealed class ChannelInfoTextWriterTests
{
    private static ChannelInfo WithVersion(ushort wire)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, wire);
        return ChannelInfo.Empty.With(ChannelAttributeType.TlsVersion, bytes);
    }

    private static string ValueOf(IReadOnlyList<string> lines, string name)
    {
        var line = Assert.Single(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line[name.Length..].Trim();
    }

    [Fact]
    public void AbsentValues_SayWhy()
    {
        var tls13 = ChannelInfoTextWriter.Format(ChannelInfoReport.Create(WithVersion(0x0304), ChannelRole.Server, null, null, null));
        Assert.Equal("(undefined for TLS 1.3, RFC 9266)", ValueOf(tls13, "tls-unique"));
        Assert.Equal("(no client certificate)", ValueOf(tls13, "peer-subject"));
        Assert.Equal("(client sent no SNI)", ValueOf(tls13, "server-name"));

        var noEms = WithVersion(0x0303).With(ChannelAttributeType.ExtendedMasterSecret, [0]);
        var tls12 = ChannelInfoTextWriter.Format(ChannelInfoReport.Create(noEms, ChannelRole.Client, null, null, "h"));
        Assert.Equal("(refused: TLS 1.2 without extended master secret, RFC 7627)", ValueOf(tls12, "tls-exporter"));
        Assert.Equal("no", ValueOf(tls12, "extended-master-secret"));
    }

    [Fact]
    public void Values_StartInOneColumn()
    {
        var lines = ChannelInfoTextWriter.Format(ChannelInfoReport.Create(WithVersion(0x0304), ChannelRole.Client, null, null, "h"));
        var columns = lines.Select(l => l.Length - l[l.IndexOf(' ', StringComparison.Ordinal)..].TrimStart().Length).Distinct();
        Assert.Single(columns);
    }
}
