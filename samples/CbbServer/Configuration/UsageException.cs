namespace CbbServer.Configuration;

/// <summary>The command line or the settings are wrong; the message says how (exit code 2).</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
