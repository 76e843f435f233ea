namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>An integrity algorithm of an SA, such as "hmac(sha256)" (struct xfrm_algo_auth).</summary>
/// <param name="Name">The kernel's algorithm name.</param>
/// <param name="Key">The key.</param>
/// <param name="TruncationBits">The ICV length in bits (XFRMA_ALG_AUTH_TRUNC); null lets the kernel use the algorithm's default (XFRMA_ALG_AUTH).</param>
public sealed record XfrmAuthenticationAlgorithm(string Name, XfrmKey Key, uint? TruncationBits);
