using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// Whether tls-exporter can be computed in this process: decided once, lazily, by <see cref="TlsExporterSelfTest"/>
/// and cached. When it cannot, every exporter request fails with the cause and what to do - never a wrong value.
/// </summary>
internal sealed class TlsExporterSupport
{
    private static readonly Lazy<TlsExporterSupport> s_current = new(TlsExporterSelfTest.Run);

    private TlsExporterSupport(IpsecError error, string? cause)
    {
        Error = error;
        Cause = cause;
    }

    /// <summary>The process-wide verdict (runs the self-test on first use).</summary>
    internal static TlsExporterSupport Current => s_current.Value;

    /// <summary>The verdict when the self-test passed.</summary>
    internal static TlsExporterSupport Available { get; } = new(IpsecError.None, null);

    /// <summary>None when available; otherwise ProtocolOptionUnavailable (layout/library missing) or NotSupported.</summary>
    internal IpsecError Error { get; }

    /// <summary>Why the exporter is unavailable, or null.</summary>
    internal string? Cause { get; }

    internal bool IsAvailable => Error == IpsecError.None;

    /// <summary>A verdict that refuses every exporter request for the given reason.</summary>
    internal static TlsExporterSupport Unavailable(IpsecError error, string cause)
    {
        ArgumentException.ThrowIfNullOrEmpty(cause);
        return new(error == IpsecError.None ? IpsecError.NotSupported : error, cause);
    }

    /// <exception cref="IpsecException">When the exporter is unavailable, with the cause and what to do.</exception>
    internal void ThrowIfUnavailable()
    {
        if (!IsAvailable)
        {
            throw new IpsecException(Error,
                $"tls-exporter is unavailable on .NET {Environment.Version}: {Cause} " +
                "Until .NET ships SslStream.ExportKeyingMaterial (dotnet/runtime#112529) CbbToolkit reads the OpenSSL session " +
                "behind SslStream, and its start-up self-test showed that this does not work here. " +
                "Remove TlsChannelBindings.TlsExporter from the policy to bind with tls-server-end-point instead, " +
                "or use a CbbToolkit release that supports this runtime.");
        }
    }
}
