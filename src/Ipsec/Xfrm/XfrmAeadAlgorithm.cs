namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>An AEAD algorithm of an SA, such as "rfc4106(gcm(aes))" (struct xfrm_algo_aead).</summary>
/// <param name="Name">The kernel's algorithm name.</param>
/// <param name="Key">The key, salt included (for rfc4106, 4 octets after the AES key).</param>
/// <param name="IcvBits">The ICV length in bits (64, 96 or 128 for GCM).</param>
public sealed record XfrmAeadAlgorithm(string Name, XfrmKey Key, uint IcvBits);
