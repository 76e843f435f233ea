namespace CbbToolkit.Ipsec.Vici;

/// <summary>
/// The IKE daemon answered a VICI command with a failure: <c>success = no</c> with its <c>errmsg</c>
/// (<see cref="IpsecError.InvalidArgument"/>), or CMD_UNKNOWN / EVENT_UNKNOWN for a command or event it does not know
/// (<see cref="IpsecError.NotSupported"/>).
/// </summary>
public sealed class ViciCommandException : IpsecException
{
    /// <summary>Creates the error for <paramref name="command"/> with the daemon's own message.</summary>
    public ViciCommandException(IpsecError error, string command, string? daemonMessage)
        : base(error, daemonMessage is null
            ? $"VICI command '{command}' failed."
            : $"VICI command '{command}' failed: {daemonMessage}")
    {
        Command = command;
        DaemonMessage = daemonMessage;
    }

    /// <summary>The command (or event registration) that failed.</summary>
    public string Command { get; }

    /// <summary>The daemon's <c>errmsg</c>, when it sent one.</summary>
    public string? DaemonMessage { get; }
}
