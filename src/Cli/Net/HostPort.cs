using System.Globalization;
using System.Net;
using CbbToolkit.Cli.CommandLine;

namespace CbbToolkit.Cli.Net;

/// <summary>A host (name or IP literal) and a port, parsed from <c>HOST:PORT</c>, <c>1.2.3.4:PORT</c> or <c>[::1]:PORT</c>.</summary>
/// <param name="Host">The host name or the IP literal without brackets.</param>
/// <param name="Port">The TCP port.</param>
internal readonly record struct HostPort(string Host, int Port)
{
    /// <summary>The IP address when <see cref="Host"/> is an IP literal, else null.</summary>
    public IPAddress? Address => IPAddress.TryParse(Host, out var a) ? a : null;

    /// <summary>Parses <c>HOST:PORT</c>; IPv6 literals go in brackets.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="what">How the value is named in errors, e.g. <c>HOST:PORT</c> or <c>--listen</c>.</param>
    /// <param name="allowPortZero">Whether port 0 (let the kernel choose) is allowed.</param>
    /// <exception cref="UsageException">The text is not of that form.</exception>
    public static HostPort Parse(string text, string what, bool allowPortZero = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        string host, port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new UsageException($"{what}: '{text}' is not [IPV6]:PORT, e.g. [::1]:8443");
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw new UsageException($"{what}: '{host}' in brackets is not an IPv6 address");
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                throw new UsageException($"{what}: '{text}' has no port; write HOST:PORT, e.g. localhost:443");
            }

            host = text[..colon];
            port = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw new UsageException($"{what}: put an IPv6 address in brackets, e.g. [{host}]:{port}");
            }
        }

        if (host.Length == 0)
        {
            throw new UsageException($"{what}: '{text}' has no host");
        }

        var min = allowPortZero ? 0 : 1;
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < min || p > 65535)
        {
            throw new UsageException($"{what}: the port must be a number from {min} to 65535, not '{port}'");
        }

        return new HostPort(host, p);
    }

    /// <summary>Formats as <c>host:port</c>, with IPv6 literals in brackets.</summary>
    public override string ToString() => Format(Host, Port);

    /// <summary>Formats an IP endpoint the way <see cref="Parse"/> reads it.</summary>
    public static string Format(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => Format(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(), ip.Port),
        null => "?",
        _ => endPoint.ToString() ?? "?",
    };

    private static string Format(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal)
            ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
