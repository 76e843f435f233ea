using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Transport;

namespace CbbToolkit.Cli.Commands.Vici;

/// <summary>The --vici option and the wording of VICI failures.</summary>
internal static class ViciOptions
{
    /// <summary>--vici URI: the socket path it names once parsed.</summary>
    public static readonly Option<string> Uri = CbbOptions.Parsed("--vici", "URI",
        $"The IKE daemon's VICI socket, unix://PATH or a path (default unix://{ViciClientOptions.DefaultSocketPath}).", SocketPathOf);

    /// <summary>The socket path --vici gives (or the default).</summary>
    public static string SocketPath(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return parseResult.GetValue(Uri) ?? SocketPathOf(ViciClientOptions.DefaultSocketPath);
    }

    /// <summary>The message cbb prints when talking to the daemon failed.</summary>
    public static CommandFailedException Failure(IpsecException e, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(e);
        var detail = e.Message.TrimEnd('.');
        return new CommandFailedException(e.Error switch
        {
            IpsecError.ConnectionRefused =>
                $"{detail}; is charon running? Start it (e.g. systemctl start strongswan) or give its socket with {Uri.Name} unix:///path/to/charon.vici",
            IpsecError.PermissionDenied => $"{detail}; run cbb as root (the VICI socket {socketPath} is usually root's only)",
            IpsecError.TimedOut => $"{detail}; charon did not answer in time - is it overloaded or stuck?",
            _ => $"talking to charon at {socketPath} failed: {detail} ({e.Error})",
        }, e);
    }

    private static string SocketPathOf(string value) =>
        ViciEndpoint.TryParse(value, out var endpoint, out var problem)
            ? endpoint.Path
            : throw new UsageException($"--vici: {problem.TrimEnd('.')}");
}
