namespace CbbToolkit.Cli.Output;

/// <summary>The text of <c>cbb http get</c>: aligned name/value lines saying what carried the request, then the body.</summary>
internal static class HttpGetText
{
    /// <summary>The summary lines; the body follows after an empty line when there is one.</summary>
    public static IReadOnlyList<string> Format(HttpGetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new TextTable("", "");
        table.Add("response", report.Status is { } s ? $"{s} {report.ReasonPhrase}".TrimEnd() : "none (refused: " + report.Refusal + ")");
        table.Add("url", report.Url.AbsoluteUri);
        table.Add("tls", report.Tls ? "TLS " + (report.TlsVersion ?? "(version not known)") : "no");
        table.Add("credentials", report.CredentialsSent ? "sent" : report.Exchange?.CredentialsDropped == true ? "dropped (bound connection)" : "none sent");
        table.Add("channel", Channel(report));
        table.Add("binding", report.BindingState + (report.BindingReason is { } b ? $" ({b})" : ""));
        table.Add("pin", report.PinState);
        var lines = table.Lines().Skip(1).ToList(); // no heading row
        if (report.Body is { Length: > 0 } body)
        {
            lines.Add("");
            lines.Add(body.TrimEnd('\n'));
        }

        return lines;
    }

    private static string Channel(HttpGetReport report)
    {
        var channel = report.Connection?.Resolution.Channel;
        var flow = report.Connection is { } c ? $"{c.Flow.Local} -> {c.Flow.Remote}: " : "";
        if (channel is null)
        {
            return flow + $"not protected by IPsec ({report.ChannelReason})";
        }

        var state = report.Verified ? "verified" : $"not verified ({report.ChannelReason})";
        return flow + $"IPsec {state}, SPI out {XfrmNames.Spi(channel.Outbound.Spi)} in {XfrmNames.Spi(channel.Inbound.Spi)}" +
            (channel.Peer?.RemoteId is { } peer ? $", peer {peer}" : "");
    }
}
