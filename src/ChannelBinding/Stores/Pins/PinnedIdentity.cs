namespace CbbToolkit.Channels.Stores;

/// <summary>Which of a server's pinned identities a <see cref="PinMismatchException"/> is about.</summary>
public enum PinnedIdentity
{
    /// <summary>The server's TLS identity: SHA-256 of its certificate's SubjectPublicKeyInfo.</summary>
    TlsSpki = 1,

    /// <summary>The server's IPsec identity: IKE id, authentication method and IKE public key hash.</summary>
    Ipsec = 2,
}
