namespace CbbToolkit.Testing.Charon;

/// <summary>How the two charons authenticate each other (gen-peer.sh --auth).</summary>
public enum CharonAuthentication
{
    /// <summary>Raw ECDSA P-256 public keys: each side is configured with the other's key.</summary>
    PublicKey,

    /// <summary>Pinned self-signed certificates (CN and SAN DNS = the peer's id), made by openssl.</summary>
    Certificate,
}
