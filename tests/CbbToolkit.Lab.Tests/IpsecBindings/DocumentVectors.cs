using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// The SA pairs of the test vectors of docs/channel-bindings.md as <c>ip -batch</c> lines (SAs and TCP policies for one
/// host), on the addresses of <see cref="TwoHosts"/> (10.99.0.1/.2, fd00:99::1/::2), which the vectors use. The keys are
/// the page's published counting patterns, not secrets.
/// </summary>
internal static class DocumentVectors
{
    public const uint RequestId = 34;

    public static string Commands(int vector, TwoHosts hosts, LabHost self) => vector switch
    {
        1 => Vector1(self == hosts.A),
        2 => Vector2(self == hosts.A),
        _ => throw new ArgumentOutOfRangeException(nameof(vector)),
    };

    // IPv4, transport, rfc4106(gcm(aes)) 160-bit keys 00..13 and 20..33, ICV 128.
    private static string Vector1(bool isA)
    {
        var (a, b) = ("10.99.0.1", "10.99.0.2");
        var (local, remote) = isA ? (a, b) : (b, a);
        return
            $"xfrm state add src {a} dst {b} proto esp spi 0x00001001 reqid {RequestId} mode transport aead rfc4106(gcm(aes)) 0x{Count(0x00, 20)} 128\n" +
            $"xfrm state add src {b} dst {a} proto esp spi 0x00002002 reqid {RequestId} mode transport aead rfc4106(gcm(aes)) 0x{Count(0x20, 20)} 128\n" +
            Policies(local, remote, "transport");
    }

    // IPv6, tunnel, cbc(aes) 128 + hmac(sha256) 256 truncated to 128.
    private static string Vector2(bool isA)
    {
        var (a, b) = ("fd00:99::1", "fd00:99::2");
        var (local, remote) = isA ? (a, b) : (b, a);
        return
            $"xfrm state add src {b} dst {a} proto esp spi 0xc0ffee01 reqid {RequestId} mode tunnel enc cbc(aes) 0x{Count(0x40, 16)} auth-trunc hmac(sha256) 0x{Count(0x60, 32)} 128\n" +
            $"xfrm state add src {a} dst {b} proto esp spi 0x0badcafe reqid {RequestId} mode tunnel enc cbc(aes) 0x{Count(0x80, 16)} auth-trunc hmac(sha256) 0x{Count(0xa0, 32)} 128\n" +
            Policies(local, remote, "tunnel");
    }

    private static string Policies(string local, string remote, string mode) =>
        $"xfrm policy add src {local} dst {remote} proto tcp dir out tmpl src {local} dst {remote} proto esp reqid {RequestId} mode {mode}\n" +
        $"xfrm policy add src {remote} dst {local} proto tcp dir in tmpl src {remote} dst {local} proto esp reqid {RequestId} mode {mode}\n";

    private static string Count(int start, int count) =>
        Convert.ToHexStringLower(Enumerable.Range(start, count).Select(i => (byte)i).ToArray());
}
