using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Charon;

/// <summary>
/// One charon of a <see cref="CharonPair"/>: its network namespace and addresses, its folder (config, VICI socket, log)
/// and keys, and the daemon itself, which a test may stop and start again.
/// </summary>
public sealed class CharonPeer : IAsyncDisposable
{
    private static readonly TimeSpan ViciLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);
    private ChildProcess? _charon;
    private byte[]? _publicKeyDer;

    internal CharonPeer(string name, string work, string ns, IPAddress address, IPAddress? address6, IPAddress inner, string id)
    {
        Name = name;
        Directory = Path.Combine(work, name);
        Namespace = ns;
        Address = address;
        Address6 = address6;
        Inner = inner;
        Id = id;
        PrivateKeyPem = Path.Combine(work, name + ".key");
        PublicKeyPem = Path.Combine(work, name + ".pub");
        CertificatePem = Path.Combine(work, name + ".crt");
    }

    /// <summary>"a" or "b".</summary>
    public string Name { get; }

    /// <summary>The peer folder: strongswan.conf, swanctl/, charon.vici, charon.log.</summary>
    public string Directory { get; }

    /// <summary>The network namespace charon runs in.</summary>
    public string Namespace { get; }

    /// <summary>The veth interface towards the other peer (the same name in both namespaces).</summary>
    public string Interface => "veth0";

    /// <summary>The IKE address (on <see cref="Interface"/>, /24).</summary>
    public IPAddress Address { get; }

    /// <summary>An IPv6 address on <see cref="Interface"/> (/64), when the pair has one.</summary>
    public IPAddress? Address6 { get; }

    /// <summary>The tunnel-mode inner address (on lo; the traffic selector in tunnel mode).</summary>
    public IPAddress Inner { get; }

    /// <summary>The IKE identity (a.test, b.test).</summary>
    public string Id { get; }

    /// <summary>The VICI URI of this charon.</summary>
    public string Uri => "unix://" + Path.Combine(Directory, "charon.vici");

    /// <summary>The private key (PKCS#8 PEM) charon signs with, made by openssl.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>The public key (SubjectPublicKeyInfo PEM) the other peer verifies with, made by openssl.</summary>
    public string PublicKeyPem { get; }

    /// <summary>The self-signed certificate (PEM) made by openssl, with certificate authentication.</summary>
    public string CertificatePem { get; }

    /// <summary>How long the last start took from the process start to charon's first VICI answer.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>Whether the daemon runs (started and not stopped or exited).</summary>
    public bool IsRunning => _charon is { HasExited: false };

    /// <summary>The public key as DER SubjectPublicKeyInfo, converted by openssl from <see cref="PublicKeyPem"/>.</summary>
    public byte[] PublicKeyDer() =>
        _publicKeyDer ??= Tool.RunBinary("openssl", ["pkey", "-pubin", "-in", PublicKeyPem, "-outform", "DER"]);

    /// <summary>The certificate as DER, converted by openssl from <see cref="CertificatePem"/> (certificate authentication).</summary>
    public byte[] CertificateDer() => Tool.RunBinary("openssl", ["x509", "-in", CertificatePem, "-outform", "DER"]);

    /// <summary>
    /// Starts charon in its namespace (tests/lab/strongswan/run-charon.sh: a private /run), waits until it answers on
    /// VICI and loads its swanctl config. Also restarts a stopped peer.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"charon {Name} runs already");
        }

        _charon?.Dispose();
        var clock = Stopwatch.StartNew();
        _charon = ChildProcess.Start(CharonLab.Script("run-charon.sh"), [Directory, Namespace]);
        await WaitForViciAsync(_charon, cancellationToken);
        StartTime = clock.Elapsed;
        Swanctl("--load-all");
    }

    /// <summary>Stops charon the way an administrator does: SIGTERM (charon deletes its SAs first), SIGKILL after 5 s.</summary>
    public async Task StopAsync()
    {
        if (_charon is not { } charon)
        {
            return;
        }

        _charon = null;
        try
        {
            if (!charon.HasExited)
            {
                charon.Signal(15);
                await charon.WaitForExitAsync(StopLimit);
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // Did not stop in time (Dispose kills it), or exited between the check and the signal.
        }
        finally
        {
            charon.Dispose();
        }
    }

    /// <summary>swanctl against this charon (its config folder and VICI socket, tests/lab/strongswan/swanctl.sh); returns stdout.</summary>
    public string Swanctl(params string[] arguments) => Tool.Run(CharonLab.Script("swanctl.sh"), [Directory, .. arguments]);

    /// <summary>
    /// Sends <paramref name="count"/> 100-byte UDP datagrams from this peer to <paramref name="to"/>'s discard port (9),
    /// inner address to inner address, so they go through the tunnel and the child SA's counters move.
    /// </summary>
    public void SendUdp(CharonPeer to, int count)
    {
        ArgumentNullException.ThrowIfNull(to);
        NetworkNamespace.Run(Namespace, () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(Inner, 0));
            for (var i = 0; i < count; i++)
            {
                socket.SendTo(new byte[100], new IPEndPoint(to.Inner, 9));
            }

            return 0;
        });
    }

    /// <summary>The last lines of charon's log, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        var path = Path.Combine(Directory, "charon.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no charon.log)";
    }

    /// <summary>Kills charon at once: the namespace goes next, and its SAs with it.</summary>
    public ValueTask DisposeAsync()
    {
        _charon?.Dispose();
        _charon = null;
        return ValueTask.CompletedTask;
    }

    // Polls with our own VICI client: in User-Mode Linux every process start costs up to a second, so no swanctl loop.
    private async Task WaitForViciAsync(ChildProcess charon, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var client = new ViciClient(Uri);
                await client.GetVersionAsync(cancellationToken);
                return;
            }
            catch (IpsecException e) when (charon.HasExited || clock.Elapsed >= ViciLimit)
            {
                var why = charon.HasExited ? "exited" : $"did not answer on VICI within {ViciLimit.TotalSeconds} s";
                throw new InvalidOperationException($"charon {Name} ({Directory}) {why}: {e.Message}\n{charon.Output()}\n{LogTail()}", e);
            }
            catch (IpsecException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
