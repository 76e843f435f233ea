using System.Net.Sockets;
using System.Text;

namespace CbbToolkit.Ipsec.Vici.Transport;

/// <summary>A parsed VICI URI. Only unix sockets are supported: "unix://" followed by the socket's path.</summary>
internal sealed class ViciEndpoint
{
    private const string Scheme = "unix://";
    private const int MaxPathBytes = 107; // sun_path is 108 bytes with its terminating NUL

    private ViciEndpoint(string uri, string path)
    {
        Uri = uri;
        Path = path;
    }

    public string Uri { get; }

    public string Path { get; }

    public UnixDomainSocketEndPoint EndPoint => new(Path);

    /// <exception cref="IpsecException">InvalidArgument, naming what is wrong and the expected form.</exception>
    public static ViciEndpoint Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw Invalid(uri, uri.Contains("://", StringComparison.Ordinal)
                ? "only unix sockets are supported"
                : "it has no scheme");
        }

        var path = uri[Scheme.Length..];
        if (path.Length == 0)
        {
            throw Invalid(uri, "the socket path is empty");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(uri, "the socket path contains a NUL character");
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw Invalid(uri, $"the socket path is longer than the {MaxPathBytes} bytes a unix socket address holds");
        }

        return new ViciEndpoint(uri, path);
    }

    private static IpsecException Invalid(string uri, string why) =>
        new(IpsecError.InvalidArgument, $"VICI URI '{uri}' is not usable: {why}. Expected unix://PATH, for example {ViciClientOptions.DefaultUri}.");
}
