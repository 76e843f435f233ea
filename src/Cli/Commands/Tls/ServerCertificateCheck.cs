using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>
/// The client's certificate validation: the platform's verdict (chain to a trusted root, name matches the target),
/// remembered so that a refusal can be explained; <c>--insecure</c> accepts anyway but still records what was wrong.
/// </summary>
internal sealed class ServerCertificateCheck(bool insecure)
{
    /// <summary>Why the certificate failed validation, or null when it passed (or was not seen).</summary>
    public string? Failure { get; private set; }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("the server sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            var target = (sender as SslStream)?.TargetHostName;
            reasons.Add($"the certificate does not name '{target}' (use --sni NAME to check another name)");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var status = chain?.ChainStatus
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => string.IsNullOrWhiteSpace(s.StatusInformation) ? s.Status.ToString() : $"{s.Status} ({s.StatusInformation.Trim()})")
                .Distinct()
                .ToList();
            reasons.Add(status is { Count: > 0 } ? "chain: " + string.Join(", ", status) : "the chain does not lead to a trusted root");
        }

        var subject = certificate is null ? "" : $"certificate '{certificate.Subject}' issued by '{certificate.Issuer}': ";
        Failure = subject + string.Join("; ", reasons);
        return insecure;
    }
}
