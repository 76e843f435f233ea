namespace CbbToolkit.Testing.Charon;

/// <summary>Where charon installs its SAs (gen-peer.sh --kernel).</summary>
public enum CharonKernel
{
    /// <summary>kernel-netlink: real XFRM SAs; the child SA needs a kernel with ESP (User-Mode Linux here).</summary>
    Netlink,

    /// <summary>kernel-libipsec: ESP in user space over TUN, tunnel mode only; works on a host kernel without ESP.</summary>
    Libipsec,
}
