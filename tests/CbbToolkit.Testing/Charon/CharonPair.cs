using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Charon;

/// <summary>
/// Two real strongSwan charons, A and B, each in its own network namespace (joined by a veth pair) with its own folder,
/// config, VICI socket and log, set up with the lab scripts of tests/lab/strongswan (gen-key.sh: ECDSA P-256 keys by
/// openssl; <see cref="CharonConfig"/>: gen-peer.sh; run-charon.sh; swanctl.sh), connection and child "lab". The one
/// charon harness of the test suites: every test starts its own pair, so none inherits another's SAs or negotiations.
/// Dispose kills both charons and deletes the namespaces and files.
/// </summary>
public sealed class CharonPair : IAsyncDisposable
{
    private CharonPair(CharonPairOptions options, string work)
    {
        Options = options;
        Work = work;
        var tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var prefix = options.NamespacePrefix + tag;
        A = new CharonPeer("a", work, prefix + "a", options.AddressA, options.Address6A, options.InnerA, options.IdA);
        B = new CharonPeer("b", work, prefix + "b", options.AddressB, options.Address6B, options.InnerB, options.IdB);
    }

    /// <summary>How the pair was set up.</summary>
    public CharonPairOptions Options { get; }

    /// <summary>The folder that holds the keys and both peer folders.</summary>
    public string Work { get; }

    /// <summary>The initiator side (its start action is <see cref="CharonPairOptions.StartActionA"/>).</summary>
    public CharonPeer A { get; }

    /// <summary>The responder side.</summary>
    public CharonPeer B { get; }

    /// <summary>How long the set-up took (keys, configs, namespaces, two charons up and loaded, the initiate if asked).</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>
    /// Makes keys and configs, the namespaces, starts both charons and loads them (A initiates child "lab" when
    /// <see cref="CharonPairOptions.Initiate"/>). Call <see cref="CharonLab.Require"/> first, so a test that cannot run
    /// here skips.
    /// </summary>
    public static async Task<CharonPair> StartAsync(CharonPairOptions? options = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var pair = new CharonPair(options ?? new CharonPairOptions(), Directory.CreateTempSubdirectory("cbb-charon-").FullName);
        try
        {
            pair.CreateNamespaces();
            pair.WriteKeysAndConfigs();
            await Task.WhenAll(pair.A.StartAsync(cancellationToken), pair.B.StartAsync(cancellationToken));
            if (pair.Options.Initiate)
            {
                pair.A.Swanctl("--initiate", "--child", "lab");
            }

            pair.StartTime = clock.Elapsed;
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills both charons, deletes both namespaces (their SAs and the veth pair go with them) and the files.</summary>
    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        // -force: go on after an error, so B goes even when A was never made.
        Tool.TryRun("ip", ["-force", "-batch", "-"], $"netns del {A.Namespace}\nnetns del {B.Namespace}\n");
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder: best effort
        }
    }

    // Three ip runs in all: one for both namespaces and the veth pair, one batch per side.
    private void CreateNamespaces()
    {
        Tool.Run("ip", ["-batch", "-"],
            $"netns add {A.Namespace}\nnetns add {B.Namespace}\n" +
            $"link add {A.Interface} netns {A.Namespace} type veth peer name {B.Interface} netns {B.Namespace}\n");
        foreach (var peer in new[] { A, B })
        {
            var lines = $"link set lo up\naddr add {peer.Address}/24 dev {peer.Interface}\n";
            if (peer.Address6 is not null)
            {
                lines += $"addr add {peer.Address6}/64 dev {peer.Interface} nodad\n";
            }

            lines += $"link set {peer.Interface} up\n";
            if (Options.Mode == CharonMode.Tunnel)
            {
                lines += $"addr add {peer.Inner}/32 dev lo\n"; // tunnel-mode selectors stay off the IKE path
            }

            Tool.Run("ip", ["-n", peer.Namespace, "-batch", "-"], lines);
        }
    }

    // Side by side where independent: process starts dominate the set-up in User-Mode Linux.
    private void WriteKeysAndConfigs()
    {
        var certificates = Options.Authentication == CharonAuthentication.Certificate;
        Parallel.Invoke(() => Key(A, certificates), () => Key(B, certificates));
        Parallel.Invoke(() => Config(A, B).Write(), () => Config(B, A).Write());
    }

    private void Key(CharonPeer peer, bool certificate) => Tool.Run(CharonLab.Script("gen-key.sh"),
        certificate ? [Path.Combine(Work, peer.Name), peer.Id] : [Path.Combine(Work, peer.Name)]);

    private CharonConfig Config(CharonPeer self, CharonPeer other) => new()
    {
        Directory = self.Directory,
        LocalAddress = self.Address,
        RemoteAddress = other.Address,
        LocalId = self.Id,
        RemoteId = other.Id,
        PrivateKeyPem = self.PrivateKeyPem,
        PeerPublicKeyPem = other.PublicKeyPem,
        CertificatePem = self.CertificatePem,
        PeerCertificatePem = other.CertificatePem,
        Authentication = Options.Authentication,
        Mode = Options.Mode,
        Kernel = Options.Kernel,
        LocalTrafficSelector = TrafficSelector(self),
        RemoteTrafficSelector = TrafficSelector(other),
        StartAction = self == A ? Options.StartActionA : CharonStartAction.None,
        RequestId = Options.RequestId,
        InstallPolicies = Options.InstallPolicies,
    };

    private string TrafficSelector(CharonPeer peer)
    {
        var address = Options.Mode == CharonMode.Tunnel ? peer.Inner : peer.Address;
        return Options.TrafficSelectorProtocol is { } protocol ? $"{address}/32[{protocol}]" : $"{address}/32";
    }
}
