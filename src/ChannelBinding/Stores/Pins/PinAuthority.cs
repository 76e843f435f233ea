using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The key of a pin: a server authority "host:port" in one canonical spelling, so that "Example.org:443" and
/// "example.org:443" are one pin and "[2001:DB8::1]:443" and "[2001:db8:0::1]:443" are one pin.
/// </summary>
public static class PinAuthority
{
    /// <summary>The longest host accepted (a DNS name's limit).</summary>
    public const int MaxHostLength = 253;

    /// <summary>The canonical form: host lower-cased (IPv6 in brackets, compressed), ":" and the decimal port.</summary>
    /// <exception cref="ArgumentException">When <paramref name="authority"/> is not host:port with a port 1..65535.</exception>
    public static string Normalize(string authority) =>
        TryNormalize(authority, out var canonical, out var problem) ? canonical : throw new ArgumentException(problem, nameof(authority));

    /// <summary>Like <see cref="Normalize"/>; false with the reason for anything that is not host:port.</summary>
    public static bool TryNormalize(string? authority, out string canonical, out string problem)
    {
        canonical = string.Empty;
        problem = string.Empty;
        var colon = authority?.LastIndexOf(':') ?? -1;
        if (authority is null || colon <= 0)
        {
            problem = "A server authority is host:port (e.g. example.org:443 or [2001:db8::1]:443).";
            return false;
        }

        var portText = authority.AsSpan(colon + 1);
        if (portText.Length is 0 or > 5 || portText[0] == '0' || !ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            problem = "The port of a server authority is a decimal number 1..65535 without leading zeros.";
            return false;
        }

        var host = authority.AsSpan(0, colon);
        if (host[0] == '[')
        {
            if (host.Length < 4 || host[^1] != ']' || !IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || v6.ScopeId != 0)
            {
                problem = "An IPv6 host is written in brackets, without a zone: [2001:db8::1]:443.";
                return false;
            }

            canonical = string.Create(CultureInfo.InvariantCulture, $"[{v6}]:{port}");
            return true;
        }

        if (host.Length > MaxHostLength)
        {
            problem = $"The host of a server authority is at most {MaxHostLength} characters.";
            return false;
        }

        var needsLower = false;
        foreach (var c in host)
        {
            if (c is >= 'A' and <= 'Z')
            {
                needsLower = true;
            }
            else if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_'))
            {
                problem = "The host of a server authority is a DNS name or IPv4 address (letters, digits, '.', '-', '_'), or [IPv6].";
                return false;
            }
        }

        // The common case, already canonical, allocates nothing: lookups stay fast.
        canonical = needsLower ? authority.ToLowerInvariant() : authority;
        return true;
    }
}
