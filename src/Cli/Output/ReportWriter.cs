namespace CbbToolkit.Cli.Output;

/// <summary>Prints reports as JSON lines or as text blocks; safe to call from concurrent connections.</summary>
internal sealed class ReportWriter(TextWriter writer, bool json)
{
    private readonly Lock _gate = new();

    /// <summary>Prints one report. The heading (text only) introduces the block, e.g. "connection 2".</summary>
    public void Write(ChannelInfoReport report, string? heading)
    {
        var text = json
            ? ChannelInfoJsonWriter.Format(report) + Environment.NewLine
            : (heading is null ? "" : heading + Environment.NewLine)
              + string.Concat(ChannelInfoTextWriter.Format(report).Select(l => (heading is null ? "" : "  ") + l + Environment.NewLine))
              + (heading is null ? "" : Environment.NewLine);
        lock (_gate)
        {
            writer.Write(text);
            writer.Flush();
        }
    }
}
