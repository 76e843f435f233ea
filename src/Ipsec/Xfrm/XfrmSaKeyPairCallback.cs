namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// Receives the key material of one SA of a pair from <see cref="XfrmClient.ReadStatePairKeysAsync"/>. The spans point
/// into the netlink receive buffer, which is zeroed as soon as the exchange ends: use them inside the call, keep nothing.
/// </summary>
/// <param name="index">0 for the first SA of the request, 1 for the second.</param>
/// <param name="keys">The SA's identity, addresses, mode and algorithms with their keys.</param>
public delegate void XfrmSaKeyPairCallback(int index, XfrmSaKeyMaterial keys);
