using System.Net.Security;
using System.Security.Cryptography;
using CbbToolkit.Channels.Bindings.Proofs;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// The binding protocol of docs/binding-protocol.md, both roles: first contact inside an authenticated TLS session
/// (<see cref="BeginClientFirstContact"/>, <see cref="AcceptClientFirstContact"/>) and later connections over a
/// verified IPsec channel without TLS (<see cref="IssueChallenge"/>, <see cref="BeginClientResume"/>,
/// <see cref="VerifyClientResume"/>). HTTP-agnostic: it produces and checks <see cref="Messages.BindingMessage"/>s;
/// the <c>*Async</c> methods run them over a stream. Every refusal is a <see cref="ChannelBindingException"/>, a log
/// event (3601) and a count on <c>cbb.binding.refused</c>; the caller then falls back to TLS and its normal credentials.
/// Thread-safe; one instance serves any number of connections.
/// </summary>
public sealed partial class BindingExchange
{
    private readonly BindingExchangeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BindingMetrics _metrics;

    /// <summary>An exchange.</summary>
    /// <exception cref="OptionsValidationException">When the options are out of range (<see cref="BindingExchangeOptionsValidator"/>).</exception>
    public BindingExchange(IOptions<BindingExchangeOptions> options, ILogger<BindingExchange>? logger = null, TimeProvider? timeProvider = null, BindingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = Stores.OptionsCheck.Validated(options, new BindingExchangeOptionsValidator());
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = metrics ?? new BindingMetrics();
    }

    /// <summary>The TLS exporter label of protocol v1 (empty context, 32 octets).</summary>
    public const string ExporterLabel = BindingLabels.Exporter;

    private ChannelBindingException Refuse(ChannelRole role, BindingStage stage, BindingFailureReason reason, string detail)
    {
        BindingLog.Refused(_logger, role, stage, reason.ToToken(), detail);
        _metrics.Refused(role, stage, reason);
        return new ChannelBindingException(reason, detail);
    }

    // A failure detected below (codec, channel checks): logged and counted here, rethrown unchanged.
    private ChannelBindingException Refuse(ChannelRole role, BindingStage stage, ChannelBindingException e)
    {
        if (e.Reason == BindingFailureReason.PeerRefused)
        {
            BindingLog.PeerRefused(_logger, role, stage, e.PeerReason?.ToToken() ?? "unknown");
        }
        else
        {
            BindingLog.Refused(_logger, role, stage, e.Reason.ToToken(), e.Detail);
        }

        _metrics.Refused(role, stage, e.Reason);
        return e;
    }

    private FirstContactKeys DeriveFirstContactKeys(SslStream tls, ChannelRole role)
    {
        ArgumentNullException.ThrowIfNull(tls);
        Span<byte> exporter = stackalloc byte[32];
        try
        {
            if (!TlsKeyingMaterial.TryExport(tls, BindingLabels.ExporterBytes, exporter, out var reason))
            {
                throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.ExporterUnavailable, reason!);
            }

            return new FirstContactKeys(exporter);
        }
        catch (IpsecException e) when (e is not ChannelBindingException)
        {
            throw Refuse(role, BindingStage.FirstContact, BindingFailureReason.ExporterUnavailable, e.Message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exporter);
        }
    }

    private IpsecBindingInputs ReadChannel(ChannelInfo channel, ChannelRole role, BindingStage stage)
    {
        try
        {
            return IpsecBindingInputs.FromChannel(channel, requireLatched: stage == BindingStage.Resume);
        }
        catch (ChannelBindingException e)
        {
            throw Refuse(role, stage, e);
        }
    }

    private static byte[]? SpkiSha256(System.Security.Cryptography.X509Certificates.X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        var spki = CertificateDer.ReadSubjectPublicKeyInfo(certificate.GetRawCertData());
        return SHA256.HashData(spki.Span);
    }
}
