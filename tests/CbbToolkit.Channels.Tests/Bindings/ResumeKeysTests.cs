using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Proofs;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings;

/// <summary>
/// The later-connection keys a <see cref="ChannelBindingRecord"/> derives once and keeps, with kept HMAC contexts:
/// every reuse still gives the page's vectors (the context re-arms with the same key), concurrent connections of one
/// binding get correct proofs, and disposing the record zeroes the keys and refuses further proofs.
/// </summary>
public sealed class ResumeKeysTests
{
    private static Dictionary<string, string> V => ProtocolVectorTests.V;

    private static byte[] Hex(string name) => Convert.FromHexString(V[name]);

    [Fact]
    public void KeptContexts_GiveTheVectors_OnEveryReuse()
    {
        using var record = Record();
        var keys = record.ResumeKeys;
        Assert.Same(keys, record.ResumeKeys); // derived once per binding
        Span<byte> proof = stackalloc byte[32];
        for (var i = 0; i < 5; i++)
        {
            keys.ClientProof(Id, Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"), proof);
            Assert.Equal(V["client-resume-proof"], Convert.ToHexStringLower(proof));
            keys.ServerProof(Id, Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"), Hex("client-resume-proof"), proof);
            Assert.Equal(V["server-resume-proof"], Convert.ToHexStringLower(proof));
        }

        // Another transcript between two uses must not leak into the next proof (GetHashAndReset clears the message).
        var otherNonce = new byte[32];
        keys.ClientProof(Id, otherNonce, Hex("ipsec-sa-binding"), Hex("flow"), proof);
        Assert.NotEqual(V["client-resume-proof"], Convert.ToHexStringLower(proof));
        keys.ClientProof(Id, Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"), proof);
        Assert.Equal(V["client-resume-proof"], Convert.ToHexStringLower(proof));
    }

    [Fact]
    public async Task ConcurrentConnections_OfOneBinding_AllGetTheVector()
    {
        using var record = Record();
        var expected = Hex("client-resume-proof");
        var (nonce, sa, flow) = (Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"));
        var wrong = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var proof = new byte[32];
            for (var i = 0; i < 2_000; i++)
            {
                record.ResumeKeys.ClientProof(Id, nonce, sa, flow, proof);
                if (!proof.AsSpan().SequenceEqual(expected))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(workers);
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void DisposingTheRecord_ZeroesItsKeys_AndRefusesProofs()
    {
        var record = Record();
        var keys = record.ResumeKeys;
        Span<byte> proof = stackalloc byte[32];
        keys.ClientProof(Id, Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"), proof);
        Assert.False(keys.KeysAreZero);

        record.Dispose();

        Assert.True(keys.KeysAreZero);
        Assert.True(record.Secret.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => record.ResumeKeys);
        var buffer = new byte[32];
        Assert.Throws<ObjectDisposedException>(() => keys.ClientProof(Id, Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"), buffer));
        Assert.Throws<ObjectDisposedException>(() => keys.ServerProof(Id, Hex("nonce"), Hex("ipsec-sa-binding"), Hex("flow"), Hex("client-resume-proof"), buffer));
        record.Dispose(); // twice is harmless
    }

    [Fact]
    public void ARecordNeverResumed_DerivesNothing_AndDisposes()
    {
        var record = Record();
        record.Dispose();
        Assert.Throws<ObjectDisposedException>(() => record.ResumeKeys);
    }

    private static BindingId Id => BindingId.FromBytes(Hex("binding-id"));

    private static ChannelBindingRecord Record()
    {
        var now = DateTimeOffset.UnixEpoch;
        return new ChannelBindingRecord(Id, BindingProtocolVersion.V1, ChannelRole.Server, new BindingSecret(Hex("binding-secret")),
            IpsecIdentity.Unauthenticated, IpsecIdentity.Unauthenticated, null, default, null, now, now.AddHours(1));
    }
}
