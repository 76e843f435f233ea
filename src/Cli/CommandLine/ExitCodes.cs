namespace CbbToolkit.Cli.CommandLine;

/// <summary>The process exit codes of <c>cbb</c> (documented in README.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed: network, TLS, certificate, file or kernel error.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown command or option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl-C or SIGTERM before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
