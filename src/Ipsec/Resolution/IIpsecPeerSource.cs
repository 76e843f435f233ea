namespace CbbToolkit.Ipsec.Resolution;

/// <summary>Names the peer of a kernel SA pair: an IKE daemon (see ViciPeerSource), or another key manager.</summary>
public interface IIpsecPeerSource
{
    /// <summary>The peer behind the child SA with these SPIs, or null when the source does not know it.</summary>
    /// <exception cref="IpsecException">ConnectionRefused when the key manager cannot be reached; other codes for other failures.</exception>
    ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default);
}
