using System.Text.RegularExpressions;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.OpenSsl;

/// <summary>
/// The openssl command-line tool, the suites' independent reference for certificates, hashes and TLS: one-shot runs
/// (<see cref="Run(string[])"/>, a hang is a <see cref="TimeoutException"/>) and long-running peers (<see cref="Start"/>:
/// s_server, s_client). Every run first skips the test (<see cref="SkipCategory.NeedsTool"/>) when openssl is not installed.
/// </summary>
public static partial class OpenSslCli
{
    /// <summary>The path of the openssl binary, or null when it is not installed.</summary>
    public static string? Path { get; } = Tool.Find("openssl");

    /// <summary>Skips the calling test when openssl is not installed; returns its path.</summary>
    public static string Require() => Tool.Require("openssl", "openssl");

    /// <summary>Runs openssl with binary stdin (may be null) and returns its stdout; throws with stderr unless it exits 0.</summary>
    public static byte[] Run(byte[]? stdin, params string[] arguments) => Tool.RunBinary(Require(), arguments, stdin);

    /// <summary>Runs openssl and returns its stdout as bytes.</summary>
    public static byte[] Run(params string[] arguments) => Run(null, arguments);

    /// <summary>Runs openssl and returns its stdout as text.</summary>
    public static string RunText(params string[] arguments) => Tool.Run(Require(), arguments);

    /// <summary>The DER of a PEM certificate file, converted by openssl.</summary>
    public static byte[] CertificateDer(string certificatePem) => Run("x509", "-in", certificatePem, "-outform", "DER");

    /// <summary><c>openssl dgst -HASH -binary</c> over the input (hash: sha256, sha384, ...).</summary>
    public static byte[] Digest(string hash, byte[] data) => Run(data, "dgst", "-" + hash, "-binary");

    /// <summary>SHA-256 of the certificate's DER SubjectPublicKeyInfo, extracted and hashed by openssl.</summary>
    public static byte[] SpkiSha256(string certificatePem)
    {
        var publicKeyPem = Run("x509", "-in", certificatePem, "-pubkey", "-noout");
        var spki = Run(publicKeyPem, "pkey", "-pubin", "-outform", "DER");
        return Digest("sha256", spki);
    }

    /// <summary>
    /// Starts a long-running openssl (s_server, s_client): its output is collected, stdin stays open so it does not quit,
    /// and Dispose kills it.
    /// </summary>
    public static ChildProcess Start(params string[] arguments) => ChildProcess.Start(Require(), arguments, keepStdinOpen: true);

    /// <summary>The bytes after "Keying material:" that s_server or s_client prints with <c>-keymatexport</c>.</summary>
    public static async Task<byte[]> KeyingMaterialAsync(ChildProcess openssl, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(openssl);
        return Convert.FromHexString((await openssl.WaitForAsync(KeyingMaterialPattern(), timeout)).Groups[1].Value);
    }

    [GeneratedRegex(@"Keying material: ([0-9A-Fa-f]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyingMaterialPattern();
}
