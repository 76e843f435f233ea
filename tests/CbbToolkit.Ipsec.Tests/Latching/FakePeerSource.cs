using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Ipsec.Tests.Latching;

/// <summary>A key manager stand-in: peers by (reqid, SPIs), set by the test (the real one: ViciPeerSourceCharonTests).</summary>
internal sealed class FakePeerSource : IIpsecPeerSource
{
    private readonly Dictionary<(uint, uint, uint), IpsecPeer> _peers = [];
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IpsecException? Failure { get; set; }

    public static IpsecPeer Peer(string remoteId, string localId = "a.test") =>
        new() { RemoteId = remoteId, LocalId = localId, AuthenticationMethod = IpsecAuthenticationMethod.RawPublicKey, PublicKey = System.Text.Encoding.ASCII.GetBytes("key of " + remoteId) };

    public void Set(uint reqid, uint spiIn, uint spiOut, IpsecPeer peer)
    {
        lock (_peers)
        {
            _peers[(reqid, spiIn, spiOut)] = peer;
        }
    }

    public ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            throw failure;
        }

        lock (_peers)
        {
            return ValueTask.FromResult(_peers.GetValueOrDefault((query.RequestId, query.InboundSpi, query.OutboundSpi)));
        }
    }
}
