using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Transport;

namespace CbbToolkit.Cli.Commands.Vici;

/// <summary>The --vici option and the wording of VICI failures.</summary>
internal static class ViciOptions
{
    public static readonly OptionSpec Uri = new("--vici", "URI",
        $"The IKE daemon's VICI socket (default {ViciClientOptions.DefaultUri}).");

    /// <summary>The URI --vici gives (or the default), checked to be unix://PATH.</summary>
    /// <exception cref="UsageException">It is not.</exception>
    public static string Validate(ParsedArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var uri = arguments.Value(Uri.Name) ?? ViciClientOptions.DefaultUri;
        try
        {
            return ViciEndpoint.Parse(uri).Uri;
        }
        catch (IpsecException e)
        {
            throw new UsageException($"{Uri.Name}: {e.Message.TrimEnd('.')}");
        }
    }

    /// <summary>The message cbb prints when talking to the daemon failed.</summary>
    public static CommandFailedException Failure(IpsecException e, string uri)
    {
        ArgumentNullException.ThrowIfNull(e);
        var detail = e.Message.TrimEnd('.');
        return new CommandFailedException(e.Error switch
        {
            IpsecError.ConnectionRefused =>
                $"{detail}; is charon running? Start it (e.g. systemctl start strongswan) or give its socket with {Uri.Name} unix:///path/to/charon.vici",
            IpsecError.PermissionDenied => $"{detail}; run cbb as root (the VICI socket {uri} is usually root's only)",
            IpsecError.TimedOut => $"{detail}; charon did not answer in time - is it overloaded or stuck?",
            _ => $"talking to charon at {uri} failed: {detail} ({e.Error})",
        }, e);
    }
}
