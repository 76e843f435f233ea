using System.Net;
using System.Net.Sockets;
using System.CommandLine;
using CbbToolkit.Channels;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Commands.Vici;
using CbbToolkit.Cli.Commands.Xfrm;
using CbbToolkit.Cli.Net;
using CbbToolkit.Cli.Output;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Cli.Commands.Ipsec;

/// <summary>
/// <c>cbb ipsec channel</c>: the IPsec channel (SA pair) that protects a 5-tuple, matched the way the kernel matches,
/// and the peer's IKE identity when strongSwan knows it.
/// </summary>
internal sealed class IpsecChannelCommand : CbbCommand
{
    private static readonly Option<IPEndPoint> Local = CbbOptions.Parsed("--local", "IP:PORT", "This host's end of the connection.",
        text => EndPoint(text, "--local"), required: true);

    private static readonly Option<IPEndPoint> Remote = CbbOptions.Parsed("--remote", "IP:PORT", "The peer's end of the connection.",
        text => EndPoint(text, "--remote"), required: true);

    private static readonly Option<ProtocolType?> Proto = ProtocolOption();

    private static readonly IpsecPolicy BindingPolicy =
        IpsecPolicy.Default with { ChannelBindings = IpsecChannelBindings.IpsecEndPoint | IpsecChannelBindings.IpsecSaBinding };

    /// <summary>Creates the command with its options.</summary>
    public IpsecChannelCommand()
        : base("channel", "Show which IPsec SA pair protects a connection, and who the IKE peer is.")
    {
        Options.Add(Local);
        Options.Add(Remote);
        Options.Add(Proto);
        Options.Add(ViciOptions.Uri);
        Options.Add(KernelOptions.Json);
        Options.Add(KernelOptions.Netns);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "The kernel's policies are matched as the kernel does (selectors, priority, templates), then the SAs; the\n" +
        "answer is 'not protected' with a reason when no policy covers the flow (no-policy), the policy lets it pass\n" +
        "in clear (clear-text-allowed), blocks it (blocked), needs an SA that does not exist (policy-without-sa), or\n" +
        "several could apply (ambiguous: fail closed). Per-socket policies of other processes cannot be seen here.",
        "--json prints one object: local, remote, proto, protected, reason (when not), message, outbound and inbound\n" +
        "{spi, proto, mode, reqid, src, dst, algorithms, bytes, packets, encap}, qopIndeterminate, peer {ikeId, localId,\n" +
        "authMethod, remoteHost, ikeSaUniqueId, childSaUniqueId, publicKeySha256, certificateSha256, source} or null,\n" +
        "peerStatus, peerReason. An IKE daemon that cannot be reached is not an error: peer is null and peerReason says why.",
        "The channel's binding values as this host sees them: ipsecEndPointSha256 (SHA256(PKi) XOR SHA256(PKr) of the IKE\n" +
        "public keys) and ipsecSaBinding (docs/channel-bindings.md: a hash of the SA pair with its keys, read from the\n" +
        "kernel), lower-case hex, or null with ipsecEndPointSha256Reason / ipsecSaBindingReason (a kebab-case code) and\n" +
        "ipsecEndPointSha256Message / ipsecSaBindingMessage. Both ends of one SA pair print the same values.",
        "Not protected is an answer, not an error: exit 0. " + KernelOptions.PrivilegeNote,
        "Example: cbb ipsec channel --local 192.0.2.1:50000 --remote 192.0.2.2:443 --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var flow = Flow(parseResult);
        var socketPath = ViciOptions.SocketPath(parseResult);
        var ns = KernelOptions.Namespace(parseResult);
        using var client = KernelOptions.Open(parseResult);
        var peers = new OnDemandPeerSource(socketPath);
        IpsecChannelResolution resolution;
        await using (peers.ConfigureAwait(false))
        {
            resolution = await IpsecChannelResolver.ResolveOnceAsync(client, flow, peers, null, context.Cancellation).ConfigureAwait(false);
        }

        // The resolver turns a kernel it could not read into "not protected"; for a tool that is a failure to answer.
        if (resolution.Reason is IpsecNotProtectedReason.NoPrivilege or IpsecNotProtectedReason.BackendError)
        {
            throw KernelOptions.Failure(new IpsecException(
                resolution.Reason == IpsecNotProtectedReason.NoPrivilege ? IpsecError.PermissionDenied : resolution.Error,
                resolution.Message), ns);
        }

        var bindings = resolution.Channel is { } channel
            ? await IpsecChannelInfoConverter.FromChannelAsync(channel, BindingPolicy, client, context.Time.GetUtcNow(), context.Cancellation).ConfigureAwait(false)
            : null;
        if (parseResult.GetValue(KernelOptions.Json))
        {
            await context.Out.WriteLineAsync(IpsecChannelJson.Format(resolution, bindings)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in IpsecChannelText.Format(resolution, bindings))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    private static IpsecFlow Flow(ParseResult parseResult)
    {
        var local = parseResult.GetRequiredValue(Local);
        var remote = parseResult.GetRequiredValue(Remote);
        if (local.AddressFamily != remote.AddressFamily)
        {
            throw new UsageException($"{Local.Name} and {Remote.Name} must both be IPv4 or both IPv6");
        }

        return new IpsecFlow(local, remote, parseResult.GetValue(Proto) ?? ProtocolType.Tcp);
    }

    private static Option<ProtocolType?> ProtocolOption()
    {
        var option = CbbOptions.Parsed<ProtocolType?>("--proto", "tcp|udp", "The transport protocol (default tcp).", text => text switch
        {
            "tcp" => ProtocolType.Tcp,
            "udp" => ProtocolType.Udp,
            _ => throw new UsageException($"--proto takes tcp or udp, not '{text}'"),
        });
        option.CompletionSources.Clear(); // the library would offer every ProtocolType name
        option.CompletionSources.Add("tcp", "udp");
        return option;
    }

    private static IPEndPoint EndPoint(string text, string option)
    {
        var value = HostPort.Parse(text, option);
        var address = value.Address
            ?? throw new UsageException($"{option} takes an IP address and a port, e.g. 192.0.2.1:443 or [2001:db8::1]:443, not a host name");
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, value.Port);
    }
}
