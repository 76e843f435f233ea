namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// Receives an SA's key material from <see cref="XfrmClient.ReadStateKeysAsync"/>. The spans point into the netlink
/// receive buffer, which is zeroed as soon as the exchange ends: use them inside the call (hash them), keep nothing.
/// </summary>
/// <param name="keys">The SA's identity, addresses, mode and algorithms with their keys.</param>
public delegate void XfrmSaKeyMaterialCallback(XfrmSaKeyMaterial keys);
