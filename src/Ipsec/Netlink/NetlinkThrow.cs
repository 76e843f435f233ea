using System.Diagnostics.CodeAnalysis;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>Throw helpers that keep the parsers' hot paths small.</summary>
internal static class NetlinkThrow
{
    [DoesNotReturn]
    public static void BadMessage(string what) => throw BadMessageException(what);

    public static IpsecException BadMessageException(string what) =>
        new(IpsecError.BadMessage, "Malformed netlink message: " + what + ".");
}
