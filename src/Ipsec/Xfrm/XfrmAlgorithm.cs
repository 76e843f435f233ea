namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>An encryption or compression algorithm of an SA (struct xfrm_algo): a kernel crypto name such as "cbc(aes)" or "deflate".</summary>
/// <param name="Name">The kernel's algorithm name, at most 63 ASCII characters.</param>
/// <param name="Key">The key; <see cref="XfrmKey.Empty"/> for compression.</param>
public sealed record XfrmAlgorithm(string Name, XfrmKey Key);
