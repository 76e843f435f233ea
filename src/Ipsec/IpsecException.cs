namespace CbbToolkit.Ipsec;

/// <summary>
/// The base of every typed error the toolkit throws. <see cref="Error"/> is the value the draft's C-shaped
/// API returns for the same failure.
/// </summary>
public class IpsecException : Exception
{
    /// <summary>Creates an error with its code and a message that says what went wrong and what to do.</summary>
    public IpsecException(IpsecError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The draft API's error value for this failure.</summary>
    public IpsecError Error { get; }
}
