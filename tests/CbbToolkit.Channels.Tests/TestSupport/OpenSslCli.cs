using System.Diagnostics;
using Xunit;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>Runs the openssl command-line tool, an independent reference for certificates, hashes and TLS.</summary>
internal static class OpenSslCli
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string?> s_path = new(FindOpenSsl);

    /// <summary>The path of the openssl binary, or null when it is not installed.</summary>
    public static string? Path => s_path.Value;

    /// <summary>Skips the calling test when openssl is not installed.</summary>
    public static void SkipUnlessAvailable() =>
        Assert.SkipUnless(Path is not null, "the openssl command-line tool is not installed (apt-get install openssl)");

    /// <summary>Runs openssl with the arguments (and optional stdin), returns stdout; throws with stderr on failure.</summary>
    public static byte[] Run(byte[]? stdin, params string[] arguments)
    {
        SkipUnlessAvailable();
        using var process = new Process { StartInfo = StartInfo(arguments) };
        process.StartInfo.RedirectStandardInput = true;
        process.Start();
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish in {s_timeout}");
        }

        copy.Wait(s_timeout);
        return process.ExitCode == 0
            ? stdout.ToArray()
            : throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
    }

    /// <summary>Runs openssl and returns stdout, with no stdin.</summary>
    public static byte[] Run(params string[] arguments) => Run(null, arguments);

    /// <summary>The DER of a PEM certificate file, converted by openssl.</summary>
    public static byte[] CertificateDer(string certificatePem) => Run("x509", "-in", certificatePem, "-outform", "DER");

    /// <summary>openssl dgst -HASH -binary over the input.</summary>
    public static byte[] Digest(string hash, byte[] data) => Run(data, "dgst", "-" + hash, "-binary");

    /// <summary>SHA-256 of the certificate's DER SubjectPublicKeyInfo, extracted and hashed by openssl.</summary>
    public static byte[] SpkiSha256(string certificatePem)
    {
        var publicKeyPem = Run("x509", "-in", certificatePem, "-pubkey", "-noout");
        var spki = Run(publicKeyPem, "pkey", "-pubin", "-outform", "DER");
        return Digest("sha256", spki);
    }

    internal static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Path ?? "openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        return info;
    }

    private static string? FindOpenSsl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "openssl"))
            .FirstOrDefault(File.Exists);
}
