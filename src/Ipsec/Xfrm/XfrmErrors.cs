using System.Globalization;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Interop.LinuxErrno;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// Turns a kernel NLMSG_ERROR into a <see cref="NetlinkException"/> whose message names the request (never its keys),
/// the cause in words, the errno, and the kernel's own extended-ACK text when it gave one.
/// </summary>
internal static class XfrmErrors
{
    public static NetlinkException FromKernel(NetlinkError error, string request)
    {
        var kernel = error.KernelMessage;
        var (code, cause) = error.Errno switch
        {
            EPERM => (IpsecError.PermissionDenied, "needs CAP_NET_ADMIN in this network namespace"),
            ESRCH or ENOENT => (IpsecError.NoSuchEntry, "the kernel has no such SA or policy"),
            EEXIST => (IpsecError.AlreadyExists, "an SA or policy with the same identity already exists (update it instead)"),
            EPROTONOSUPPORT when Mentions(kernel, "type not found") || request.Contains(" SA ", StringComparison.Ordinal) =>
                (IpsecError.NotSupported, MissingProtocol(request)),
            ENOSYS when Mentions(kernel, "algorithm not found") =>
                (IpsecError.NotSupported, "this kernel's crypto API lacks the requested algorithm (not built in, or its module is not loaded)"),
            ENOSYS or EPROTONOSUPPORT or EOPNOTSUPP or EAFNOSUPPORT =>
                (IpsecError.NotSupported, "this kernel does not support what the request asks for"),
            EINVAL => (IpsecError.InvalidArgument, "the kernel rejected a field of the request as invalid"),
            ENOBUFS => (IpsecError.NoBufferSpace, "the kernel ran out of buffer space"),
            EBUSY => (IpsecError.TryAgain, "the kernel is busy with another dump on this socket"),
            _ => (ToIpsecError(error.Errno), "the kernel refused the request"),
        };

        var text = string.Create(CultureInfo.InvariantCulture,
            $"{request} failed: {cause} ({Name(error.Errno)}{(kernel is null ? "" : $"; kernel: \"{kernel}\"")}).");
        return new NetlinkException(code, error.Errno, kernel, text);
    }

    public static string DescribeState(string verb, XfrmState s) => string.Create(CultureInfo.InvariantCulture,
        $"{verb} SA {Proto(s.Protocol)} spi 0x{s.Spi:x8} {s.Source} -> {s.Destination} ({s.Mode}, reqid {s.RequestId}{Algorithms(s)})");

    public static string DescribeStateId(string verb, System.Net.IPAddress destination, uint spi, XfrmProtocol protocol) =>
        string.Create(CultureInfo.InvariantCulture, $"{verb} SA {Proto(protocol)} spi 0x{spi:x8} dst {destination}");

    public static string DescribePolicy(string verb, XfrmSelector selector, XfrmPolicyDirection direction, uint index)
    {
        var proto = selector.Protocol == 0 ? "" : " proto " + ((int)selector.Protocol).ToString(CultureInfo.InvariantCulture);
        var at = index == 0 ? "" : " index " + index.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{verb} policy {direction} {selector.Source}/{selector.SourcePrefixLength} -> {selector.Destination}/{selector.DestinationPrefixLength}{proto}{at}");
    }

    private static string Algorithms(XfrmState s)
    {
        var parts = new List<string>();
        if (s.Aead is { } aead)
        {
            parts.Add($"aead {aead.Name} {aead.Key.BitLength}-bit key icv {aead.IcvBits}");
        }

        if (s.Encryption is { } enc)
        {
            parts.Add($"enc {enc.Name} {enc.Key.BitLength}-bit key");
        }

        if (s.Authentication is { } auth)
        {
            parts.Add($"auth {auth.Name} {auth.Key.BitLength}-bit key");
        }

        if (s.Compression is { } comp)
        {
            parts.Add($"comp {comp.Name}");
        }

        return parts.Count == 0 ? "" : ", " + string.Join(", ", parts);
    }

    private static string Proto(XfrmProtocol protocol) => protocol switch
    {
        XfrmProtocol.Esp => "esp",
        XfrmProtocol.Ah => "ah",
        XfrmProtocol.Comp => "comp",
        _ => "proto " + ((int)protocol).ToString(CultureInfo.InvariantCulture),
    };

    private static string MissingProtocol(string request) =>
        request.Contains(" SA ah ", StringComparison.Ordinal)
            ? "no AH support in this kernel (CONFIG_INET_AH/INET6_AH not built in and the ah4/ah6 modules not loaded)"
            : request.Contains(" SA comp ", StringComparison.Ordinal)
                ? "no IPComp support in this kernel (CONFIG_INET_IPCOMP/INET6_IPCOMP not built in and the ipcomp/ipcomp6 modules not loaded)"
                : request.Contains(" SA esp ", StringComparison.Ordinal)
                    ? "no ESP support in this kernel (CONFIG_INET_ESP/INET6_ESP not built in and the esp4/esp6 modules not loaded)"
                    : "this kernel has no transform for the requested IPsec protocol";

    private static bool Mentions(string? kernel, string text) =>
        kernel is not null && kernel.Contains(text, StringComparison.OrdinalIgnoreCase);
}
