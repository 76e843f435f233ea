using CbbToolkit.Cli.Net;

namespace CbbToolkit.Cli.Output;

/// <summary>The JSON of <c>cbb http get --json</c>: one object on one line (README.md and docs/httpclient.md list the fields).</summary>
internal static class HttpGetJson
{
    /// <summary>The fields, for the help text.</summary>
    public const string Fields =
        "{status, body, tls, tlsVersion, credentialsSent, url, channel {verified, reason, outboundSpi, inboundSpi, peerId}, " +
        "binding {state, reason}, pin {state}, refused, local, remote}";

    /// <summary>Formats a report.</summary>
    public static string Format(HttpGetReport report) => JsonLine.Format(json =>
    {
        ArgumentNullException.ThrowIfNull(report);
        var channel = report.Connection?.Resolution.Channel;
        json.WriteStartObject();
        if (report.Status is { } status)
        {
            json.WriteNumber("status", status);
        }
        else
        {
            json.WriteNull("status");
        }

        json.WriteString("body", report.Body);
        json.WriteBoolean("tls", report.Tls);
        json.WriteString("tlsVersion", report.TlsVersion);
        json.WriteBoolean("credentialsSent", report.CredentialsSent);
        json.WriteString("url", report.Url.AbsoluteUri);
        json.WriteStartObject("channel");
        json.WriteBoolean("verified", report.Verified);
        json.WriteString("reason", report.ChannelReason);
        json.WriteString("outboundSpi", channel is null ? null : XfrmNames.Spi(channel.Outbound.Spi));
        json.WriteString("inboundSpi", channel is null ? null : XfrmNames.Spi(channel.Inbound.Spi));
        json.WriteString("peerId", channel?.Peer?.RemoteId);
        json.WriteEndObject();
        json.WriteStartObject("binding");
        json.WriteString("state", report.BindingState);
        json.WriteString("reason", report.BindingReason);
        json.WriteEndObject();
        json.WriteStartObject("pin");
        json.WriteString("state", report.PinState);
        json.WriteEndObject();
        json.WriteString("refused", report.Refusal);
        json.WriteString("local", report.Connection is { } l ? HostPort.Format(l.Flow.Local) : null);
        json.WriteString("remote", report.Connection is { } r ? HostPort.Format(r.Flow.Remote) : null);
        json.WriteEndObject();
    });
}
