using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
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

    /// <exception cref="ArgumentNullException"><paramref name="socketPath"/> is null.</exception>
    /// <exception cref="ArgumentException">It cannot be a unix socket's path; the message names what is wrong and the expected form.</exception>
    public static ViciEndpoint Parse(string socketPath, [CallerArgumentExpression(nameof(socketPath))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(socketPath, paramName);
        return TryParse(socketPath, out var endpoint, out var problem) ? endpoint : throw new ArgumentException(problem, paramName);
    }

    /// <summary>Checks <paramref name="socketPath"/> without throwing; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string? socketPath, [NotNullWhen(true)] out ViciEndpoint? endpoint, [NotNullWhen(false)] out string? problem)
    {
        endpoint = null;
        var why = Check(socketPath, out var path);
        if (why is not null)
        {
            problem = $"VICI socket '{socketPath}' is not usable: {why}. Expected a unix socket path or unix://PATH, for example {ViciClientOptions.DefaultSocketPath}.";
            return false;
        }

        problem = null;
        endpoint = new ViciEndpoint(path!);
        return true;
    }

    private static string? Check(string? socketPath, out string? path)
    {
        path = socketPath;
        if (path is null)
        {
            return "no socket path is given";
        }

        if (path.StartsWith(Scheme, StringComparison.Ordinal))
        {
            path = path[Scheme.Length..];
        }
        else if (path.Contains("://", StringComparison.Ordinal))
        {
            return "only unix sockets are supported";
        }

        if (path.Length == 0)
        {
            return "the socket path is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "the socket path contains a NUL character";
        }

        return Encoding.UTF8.GetByteCount(path) > MaxPathBytes
            ? $"the socket path is longer than the {MaxPathBytes} bytes a unix socket address holds"
            : null;
    }
}
