using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>
/// A transport-mode ESP SA pair with real keys between 192.0.2.1 and 192.0.2.2 (reqid 1), added with <c>ip xfrm</c>, for
/// the tests that need a kernel with ESP. The host kernel has none: they skip there, and run in User-Mode Linux
/// (<c>tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests</c>), where CBB_LAB=uml turns a missing ESP into a failure.
/// </summary>
internal static class EspKernel
{
    public const string Local = "192.0.2.1";
    public const string Remote = "192.0.2.2";
    public const string AeadKey = "0x6cdeb6d1b3a0c54e8f3a77ad21c60ab79e51c2d5";
    public const string CipherKey = "0x3b0f9a7b1c5e4d2a8f6e0c9b7a5d3e1f";
    public const string AuthKey = "0x9c4e2b7d0a1f3e5c8b6d4a2e0f1c3b5d7e9a1c3e5b7d9f0a2c4e6b8d0f1a3c5e";

    /// <summary>Adds the SA pair (out 0x101 AES-GCM, in 0x201 AES-CBC + HMAC-SHA256), or skips when the kernel has no ESP.</summary>
    public static void AddSaPair(TestNamespace ns)
    {
        var (code, _, error) = ToolRun.Try("ip", ["-n", ns.Name, "xfrm", "state", "add", "src", Local, "dst", Remote, "proto", "esp",
            "spi", "0x101", "reqid", "1", "mode", "transport", "aead", "rfc4106(gcm(aes))", AeadKey, "128"]);
        if (code != 0)
        {
            Esp.Unavailable($"ip: {error.Trim()}", "tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests");
        }

        ns.Ip("xfrm", "state", "add", "src", Remote, "dst", Local, "proto", "esp", "spi", "0x201", "reqid", "1", "mode", "transport",
            "enc", "cbc(aes)", CipherKey, "auth-trunc", "hmac(sha256)", AuthKey, "128");
    }

    /// <summary>Adds out and in policies requiring ESP with reqid 1 between the two addresses.</summary>
    public static void AddPolicyPair(TestNamespace ns)
    {
        ns.Ip("xfrm", "policy", "add", "src", Local, "dst", Remote, "dir", "out", "tmpl", "proto", "esp", "mode", "transport", "reqid", "1");
        ns.Ip("xfrm", "policy", "add", "src", Remote, "dst", Local, "dir", "in", "tmpl", "proto", "esp", "mode", "transport", "reqid", "1");
    }
}
