using System.Net;
using System.Security.Cryptography;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Two hosts for one test: network namespaces A and B joined by a veth pair, with 10.99.0.1/24 + fd00:99::1/64 in A and
/// .2 / ::2 in B. Names are random so tests run in parallel; Dispose deletes both namespaces (and the veth pair with them).
/// </summary>
/// <remarks>
/// Process starts are slow in UML (0.3 s and more each): a test's whole set-up is three <c>ip -batch</c> runs, so extra
/// per-host set-up (SAs, policies) comes in through the constructor's setup rather than as more <c>ip</c> runs.
/// </remarks>
internal sealed class TwoHosts : IDisposable
{
    /// <param name="setup">More <c>ip -batch</c> lines for a host, run inside its namespace after its addresses are up.</param>
    public TwoHosts(Func<TwoHosts, LabHost, string>? setup = null)
    {
        var tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        A = new LabHost($"cbb-a-{tag}", "veth-a", IPAddress.Parse("10.99.0.1"), IPAddress.Parse("fd00:99::1"));
        B = new LabHost($"cbb-b-{tag}", "veth-b", IPAddress.Parse("10.99.0.2"), IPAddress.Parse("fd00:99::2"));
        try
        {
            Ip(["-batch", "-"],
                $"netns add {A.Namespace}\nnetns add {B.Namespace}\n" +
                $"link add {A.Interface} netns {A.Namespace} type veth peer name {B.Interface} netns {B.Namespace}\n");
            foreach (var host in new[] { A, B })
            {
                Batch(host,
                    $"link set lo up\naddr add {host.Address4}/24 dev {host.Interface}\n" +
                    $"addr add {host.Address6}/64 dev {host.Interface} nodad\nlink set {host.Interface} up\n" +
                    setup?.Invoke(this, host));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public LabHost A { get; }

    public LabHost B { get; }

    /// <summary>Runs <c>ip</c> with the given arguments (throws on failure).</summary>
    public static string Ip(IEnumerable<string> args, string? stdin = null) => Tool.Run("ip", args, stdin);

    /// <summary>Runs <c>ip</c> commands, one a line, inside <paramref name="host"/>'s namespace (throws on failure).</summary>
    public static void Batch(LabHost host, string commands) => Ip(["-n", host.Namespace, "-batch", "-"], commands);

    public void Dispose()
    {
        // -force: go on after an error, so B goes even when A was never made.
        Tool.TryRun("ip", ["-force", "-batch", "-"], $"netns del {A.Namespace}\nnetns del {B.Namespace}\n");
    }
}
