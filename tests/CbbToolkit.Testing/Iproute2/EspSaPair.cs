using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Testing.Iproute2;

/// <summary>
/// A transport-mode ESP SA pair with fixed test keys, added with <c>ip xfrm</c>: <see cref="OutboundSpi"/> from the
/// local to the remote address (AES-GCM) and <see cref="InboundSpi"/> back (AES-CBC + HMAC-SHA256), reqid
/// <see cref="RequestId"/>, and the policies that require them. The host kernel has no ESP: the test skips there
/// (<see cref="SkipCategory.NeedsEsp"/>) and runs in User-Mode Linux, where a missing ESP fails it.
/// </summary>
public static class EspSaPair
{
    /// <summary>The AES-GCM key and salt (rfc4106, 160 bits) of the outbound SA, as ip takes it.</summary>
    public const string AeadKey = "0x6cdeb6d1b3a0c54e8f3a77ad21c60ab79e51c2d5";

    /// <summary>The AES-CBC key of the inbound SA.</summary>
    public const string CipherKey = "0x3b0f9a7b1c5e4d2a8f6e0c9b7a5d3e1f";

    /// <summary>The HMAC-SHA256 key of the inbound SA.</summary>
    public const string AuthKey = "0x9c4e2b7d0a1f3e5c8b6d4a2e0f1c3b5d7e9a1c3e5b7d9f0a2c4e6b8d0f1a3c5e";

    /// <summary>The SPI of the SA from local to remote.</summary>
    public const uint OutboundSpi = 0x101;

    /// <summary>The SPI of the SA from remote to local.</summary>
    public const uint InboundSpi = 0x201;

    /// <summary>The reqid of both SAs and of the policies' templates.</summary>
    public const uint RequestId = 1;

    /// <summary>
    /// Adds both SAs in <paramref name="ns"/>; skips the test when the kernel refuses ESP (fails it in the lab guest).
    /// </summary>
    /// <param name="howToRun">Where the test runs for real, for the skip message, e.g. "tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests".</param>
    public static void AddStates(ScratchNamespace ns, string local, string remote, string howToRun)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var outbound = ns.TryIp("xfrm", "state", "add", "src", local, "dst", remote, "proto", "esp", "spi", $"0x{OutboundSpi:x}",
            "reqid", $"{RequestId}", "mode", "transport", "aead", "rfc4106(gcm(aes))", AeadKey, "128");
        if (!outbound.Succeeded)
        {
            Esp.Unavailable("ip: " + outbound.Stderr.Trim(), howToRun);
        }

        ns.Ip("xfrm", "state", "add", "src", remote, "dst", local, "proto", "esp", "spi", $"0x{InboundSpi:x}", "reqid", $"{RequestId}",
            "mode", "transport", "enc", "cbc(aes)", CipherKey, "auth-trunc", "hmac(sha256)", AuthKey, "128");
    }

    /// <summary>
    /// Transport-mode ESP between two linked namespaces (<see cref="ScratchNamespace.Link"/>): both SAs and, in each
    /// namespace, the policies that require them towards the other. Skips where the kernel has no ESP.
    /// </summary>
    public static void AddBetween(ScratchNamespace a, string addressA, ScratchNamespace b, string addressB, string howToRun)
    {
        AddStates(a, addressA, addressB, howToRun);
        AddStates(b, addressA, addressB, howToRun);
        AddPolicies(a, addressA, addressB);
        AddPolicies(b, addressB, addressA);
    }

    /// <summary>Adds the out (local to remote) and in (remote to local) policies that require ESP with <see cref="RequestId"/>.</summary>
    public static void AddPolicies(ScratchNamespace ns, string local, string remote)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ns.Ip("xfrm", "policy", "add", "src", local, "dst", remote, "dir", "out", "tmpl", "proto", "esp", "mode", "transport", "reqid", $"{RequestId}");
        ns.Ip("xfrm", "policy", "add", "src", remote, "dst", local, "dir", "in", "tmpl", "proto", "esp", "mode", "transport", "reqid", $"{RequestId}");
    }
}
