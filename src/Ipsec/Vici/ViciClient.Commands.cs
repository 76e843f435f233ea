using CbbToolkit.Ipsec.Vici.Parsing;

namespace CbbToolkit.Ipsec.Vici;

public sealed partial class ViciClient
{
    /// <summary>The daemon's name and version (the version command).</summary>
    public async Task<ViciVersion> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var m = await RequestAsync("version", null, cancellationToken).ConfigureAwait(false);
        return new ViciVersion
        {
            Daemon = m.GetRequiredString("daemon"),
            Version = m.GetRequiredString("version"),
            SystemName = m.GetString("sysname"),
            Release = m.GetString("release"),
            Machine = m.GetString("machine"),
        };
    }

    /// <summary>The IKE SAs and their child SAs (list-sas), optionally only those of connection <paramref name="ike"/> or with unique id <paramref name="ikeId"/>.</summary>
    public async Task<IReadOnlyList<IkeSa>> ListIkeSasAsync(string? ike = null, uint? ikeId = null, CancellationToken cancellationToken = default)
    {
        var arguments = new ViciMessage();
        if (ike is not null)
        {
            arguments.Add("ike", ike);
        }

        if (ikeId is not null)
        {
            arguments.Add("ike-id", (long)ikeId.Value);
        }

        var sas = new List<IkeSa>();
        await foreach (var e in StreamAsync("list-sas", "list-sa", arguments, cancellationToken).ConfigureAwait(false))
        {
            sas.AddRange(IkeSaParser.ParseAll(e.Message));
        }

        return sas;
    }

    /// <summary>The loaded connections (list-conns), optionally only <paramref name="ike"/>.</summary>
    public async Task<IReadOnlyList<IkeConnection>> ListConnectionsAsync(string? ike = null, CancellationToken cancellationToken = default)
    {
        var arguments = new ViciMessage();
        if (ike is not null)
        {
            arguments.Add("ike", ike);
        }

        var connections = new List<IkeConnection>();
        await foreach (var e in StreamAsync("list-conns", "list-conn", arguments, cancellationToken).ConfigureAwait(false))
        {
            connections.AddRange(ConnectionParser.ParseAll(e.Message));
        }

        return connections;
    }

    /// <summary>The certificates and trusted raw public keys the daemon holds (list-certs).</summary>
    /// <param name="type">X509, X509_AC, X509_CRL, OCSP_RESPONSE, PUBKEY, or null for any.</param>
    /// <param name="subject">Only those with this subject.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<ViciCertificate>> ListCertificatesAsync(string? type = null, string? subject = null, CancellationToken cancellationToken = default)
    {
        var arguments = new ViciMessage();
        if (type is not null)
        {
            arguments.Add("type", type);
        }

        if (subject is not null)
        {
            arguments.Add("subject", subject);
        }

        var certificates = new List<ViciCertificate>();
        await foreach (var e in StreamAsync("list-certs", "list-cert", arguments, cancellationToken).ConfigureAwait(false))
        {
            certificates.Add(CertificateParser.Parse(e.Message));
        }

        return certificates;
    }

    /// <summary>
    /// Initiates child SA <paramref name="child"/> (and its IKE SA) and waits until it is up. charon is told to give up
    /// a little before <see cref="ViciClientOptions.CommandTimeout"/>, so its own error arrives rather than our timeout.
    /// </summary>
    /// <exception cref="ViciCommandException">charon could not establish it (its errmsg says why).</exception>
    public Task InitiateAsync(string child, string? ike = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(child);
        var arguments = new ViciMessage().Add("child", child);
        if (ike is not null)
        {
            arguments.Add("ike", ike);
        }

        arguments.Add("timeout", DaemonTimeoutMilliseconds());
        return RequestAsync("initiate", arguments, cancellationToken);
    }

    /// <summary>Terminates the IKE SA with this unique id (and its child SAs) and waits until it is gone.</summary>
    public Task TerminateIkeSaAsync(uint uniqueId, CancellationToken cancellationToken = default) =>
        TerminateAsync(new ViciMessage().Add("ike-id", (long)uniqueId), cancellationToken);

    /// <summary>Terminates the child SA with this unique id and waits until it is gone.</summary>
    public Task TerminateChildSaAsync(uint uniqueId, CancellationToken cancellationToken = default) =>
        TerminateAsync(new ViciMessage().Add("child-id", (long)uniqueId), cancellationToken);

    /// <summary>Terminates the IKE SAs of connection <paramref name="ike"/>, or (with <paramref name="child"/>) the child SAs of that config.</summary>
    public Task TerminateAsync(string? ike = null, string? child = null, CancellationToken cancellationToken = default)
    {
        if (ike is null && child is null)
        {
            throw new ArgumentException("Name the IKE connection, the child config, or both.", nameof(ike));
        }

        var arguments = new ViciMessage();
        if (ike is not null)
        {
            arguments.Add("ike", ike);
        }

        if (child is not null)
        {
            arguments.Add("child", child);
        }

        return TerminateAsync(arguments, cancellationToken);
    }

    /// <summary>
    /// Who is behind the child SA with <paramref name="requestId"/> (the XFRM/IKE reqid) (and these SPIs, as the kernel's inbound and outbound SAs
    /// carry them): its IKE SA, the peer's identity, auth method and, where the daemon holds it, public key. Null when no
    /// child SA matches.
    /// </summary>
    /// <exception cref="IpsecException">InvalidArgument when child SAs of several IKE SAs match (give the SPIs).</exception>
    public async Task<IkePeer?> FindPeerAsync(uint requestId, uint? inboundSpi = null, uint? outboundSpi = null, CancellationToken cancellationToken = default)
    {
        var match = PeerResolver.FindChild(await ListIkeSasAsync(cancellationToken: cancellationToken).ConfigureAwait(false), requestId, inboundSpi, outboundSpi);
        if (match is not { } found)
        {
            return null;
        }

        var connection = (await ListConnectionsAsync(found.Ike.Name, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(c => c.Name == found.Ike.Name);
        var certificates = await ListCertificatesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return PeerResolver.Describe(found.Ike, found.Child, connection, certificates);
    }

    private async Task TerminateAsync(ViciMessage arguments, CancellationToken cancellationToken)
    {
        arguments.Add("timeout", DaemonTimeoutMilliseconds());
        await RequestAsync("terminate", arguments, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A deadline for charon's own waiting, 90% of ours (at least 1 ms: 0 would mean "wait forever").</summary>
    private long DaemonTimeoutMilliseconds() => Math.Max(1, (long)(Options.CommandTimeout.TotalMilliseconds * 0.9));
}
