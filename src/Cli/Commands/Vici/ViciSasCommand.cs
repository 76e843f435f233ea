using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Output;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;

namespace CbbToolkit.Cli.Commands.Vici;

/// <summary><c>cbb vici sas</c>: charon's IKE SAs with their child SAs (list-sas).</summary>
internal sealed class ViciSasCommand : CbbCommand
{
    private static readonly Option<bool> Json = CbbOptions.Flag("--json", "Print JSON (keys in camelCase) instead of text.");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the command with its options.</summary>
    public ViciSasCommand()
        : base("sas", "List the IKE daemon's IKE SAs with their child SAs (list-sas).")
    {
        Options.Add(ViciOptions.Uri);
        Options.Add(Json);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Details { get; } =
    [
        "--json prints one array of IKE SAs: {name, uniqueId, version, state, localHost, localPort, remoteHost, remotePort,\n" +
        "localId, remoteId, initiator, initiatorSpi, responderSpi, natAny, encryption, integrity, prf, dhGroup,\n" +
        "establishedSeconds, childSas [{name, uniqueId, reqid, state, mode, protocol, encapsulated, spiIn, spiOut,\n" +
        "cpiIn, cpiOut, encryption, integrity, dhGroup, bytesIn, packetsIn, bytesOut, packetsOut, installedSeconds,\n" +
        "localTs, remoteTs}]}. SPIs are hex strings (\"0x%08x\"; IKE SPIs \"0x%016x\"); absent values are null.",
        "Exit codes: 0 listed, 1 the daemon cannot be reached or refused (the message says what to do), 2 usage error.",
        "Example: cbb vici sas --vici unix:///var/run/charon.vici --json",
    ];

    /// <inheritdoc/>
    public override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var socketPath = ViciOptions.SocketPath(parseResult);
        var client = new ViciClient(new ViciClientOptions { SocketPath = socketPath, ConnectTimeout = Timeout, CommandTimeout = Timeout },
            timeProvider: context.Time);
        IReadOnlyList<IkeSa> sas;
        await using (client.ConfigureAwait(false))
        {
            try
            {
                sas = await client.ListIkeSasAsync(cancellationToken: context.Cancellation).ConfigureAwait(false);
            }
            catch (IpsecException e)
            {
                throw ViciOptions.Failure(e, socketPath);
            }
        }

        if (parseResult.GetValue(Json))
        {
            await context.Out.WriteLineAsync(ViciJson.Sas(sas)).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in ViciText.Sas(sas))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }
}
