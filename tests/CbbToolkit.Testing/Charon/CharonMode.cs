namespace CbbToolkit.Testing.Charon;

/// <summary>The IPsec mode of the lab's child SA (gen-peer.sh --mode).</summary>
public enum CharonMode
{
    /// <summary>Tunnel mode: the traffic selectors are the peers' inner addresses on lo.</summary>
    Tunnel,

    /// <summary>Transport mode: the traffic selectors are the IKE addresses.</summary>
    Transport,
}
