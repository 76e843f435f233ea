using System.Net;
using System.Security.Cryptography;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Two hosts for one test: the network namespaces of a <see cref="ScratchNamespacePair"/>, A and B, joined by a veth pair,
/// with 10.99.0.1/24 + fd00:99::1/64 in A and .2 / ::2 in B. Names are random so tests run in parallel; Dispose deletes
/// both namespaces (and the veth pair with them).
/// </summary>
/// <remarks>
/// Process starts are slow in UML (0.3 s and more each): a test's whole set-up is three <c>ip -batch</c> runs, so extra
/// per-host set-up (SAs, policies) comes in through the constructor's setup rather than as more <c>ip</c> runs.
/// </remarks>
internal sealed class TwoHosts : IDisposable
{
    private readonly ScratchNamespacePair _pair;

    /// <param name="setup">More <c>ip -batch</c> lines for a host, run inside its namespace after its addresses are up.</param>
    public TwoHosts(Func<TwoHosts, LabHost, string>? setup = null)
    {
        var tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        A = new LabHost($"cbb-a-{tag}", "veth-a", IPAddress.Parse("10.99.0.1"), IPAddress.Parse("fd00:99::1"));
        B = new LabHost($"cbb-b-{tag}", "veth-b", IPAddress.Parse("10.99.0.2"), IPAddress.Parse("fd00:99::2"));
        _pair = ScratchNamespacePair.Create(A.Namespace, A.Interface, Setup(A), B.Namespace, B.Interface, Setup(B));

        string Setup(LabHost host) =>
            $"addr add {host.Address4}/24 dev {host.Interface}\naddr add {host.Address6}/64 dev {host.Interface} nodad\n" +
            $"link set {host.Interface} up\n" + setup?.Invoke(this, host);
    }

    public LabHost A { get; }

    public LabHost B { get; }

    /// <summary>Runs <c>ip</c> with the given arguments (throws on failure).</summary>
    public static string Ip(IEnumerable<string> args, string? stdin = null) => Tool.Run("ip", args, stdin);

    /// <summary>Runs <c>ip</c> commands, one a line, inside <paramref name="host"/>'s namespace (throws on failure).</summary>
    public static void Batch(LabHost host, string commands) => Ip(["-n", host.Namespace, "-batch", "-"], commands);

    public void Dispose() => _pair.Dispose();
}
