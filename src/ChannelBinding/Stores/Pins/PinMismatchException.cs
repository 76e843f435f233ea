using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The server at a pinned authority presented another identity than the one pinned at first contact (like OpenSSH's
/// "REMOTE HOST IDENTIFICATION HAS CHANGED"): either a man in the middle or a server whose keys really changed. The
/// connection must be refused; <see cref="OldValue"/> and <see cref="NewValue"/> are fingerprints (never a secret).
/// Error <see cref="IpsecError.KeyRejected"/>.
/// </summary>
public sealed class PinMismatchException : ChannelBindingStoreException
{
    /// <summary>Creates the error.</summary>
    public PinMismatchException(string authority, PinnedIdentity identity, string oldValue, string newValue)
        : base(IpsecError.KeyRejected,
            $"The {Describe(identity)} of {authority} does not match its pin: pinned {oldValue}, presented {newValue}. " +
            $"Refused. If the server's keys really changed, remove the pin (cbb pins remove {authority}) and connect again.")
    {
        Authority = authority;
        Identity = identity;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>The server authority (canonical host:port).</summary>
    public string Authority { get; }

    /// <summary>Which identity differs.</summary>
    public PinnedIdentity Identity { get; }

    /// <summary>The pinned fingerprint.</summary>
    public string OldValue { get; }

    /// <summary>The presented fingerprint.</summary>
    public string NewValue { get; }

    private static string Describe(PinnedIdentity identity) => identity switch
    {
        PinnedIdentity.TlsSpki => "TLS identity (SPKI SHA-256)",
        _ => "IPsec identity",
    };
}
