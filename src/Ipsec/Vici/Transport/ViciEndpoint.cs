using System.Net.Sockets;
using System.Text;

namespace CbbToolkit.Ipsec.Vici.Transport;

/// <summary>
/// A checked VICI socket path. Only unix sockets are supported: a path, or the same path as a unix:// URI (the form
/// swanctl and the cbb --vici option take).
/// </summary>
internal sealed class ViciEndpoint
{
    private const string Scheme = "unix://";
    private const int MaxPathBytes = 107; // sun_path is 108 bytes with its terminating NUL

    private ViciEndpoint(string path) => Path = path;

    /// <summary>The socket's file path.</summary>
    public string Path { get; }

    public UnixDomainSocketEndPoint EndPoint => new(Path);

    /// <exception cref="IpsecException">InvalidArgument, naming what is wrong and the expected form.</exception>
    public static ViciEndpoint Parse(string socketPath)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        var path = socketPath;
        if (path.StartsWith(Scheme, StringComparison.Ordinal))
        {
            path = path[Scheme.Length..];
        }
        else if (path.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(socketPath, "only unix sockets are supported");
        }

        if (path.Length == 0)
        {
            throw Invalid(socketPath, "the socket path is empty");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(socketPath, "the socket path contains a NUL character");
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw Invalid(socketPath, $"the socket path is longer than the {MaxPathBytes} bytes a unix socket address holds");
        }

        return new ViciEndpoint(path);
    }

    private static IpsecException Invalid(string socketPath, string why) =>
        new(IpsecError.InvalidArgument,
            $"VICI socket '{socketPath}' is not usable: {why}. Expected a unix socket path or unix://PATH, for example {ViciClientOptions.DefaultSocketPath}.");
}
