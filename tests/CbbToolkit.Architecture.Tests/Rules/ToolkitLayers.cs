namespace CbbToolkit.Architecture.Tests.Rules;

/// <summary>
/// The layer rules of the design, as tables: docs/design.md ("Layers") for the assemblies, docs/ipsec-backend.md
/// ("Layers inside src/Ipsec") for the namespaces of CbbToolkit.Ipsec. Change a rule here and in the doc together.
/// </summary>
public static class ToolkitLayers
{
    private const string Ipsec = "CbbToolkit.Ipsec";
    private const string Channels = "CbbToolkit.Channels";
    private const string Kestrel = "CbbToolkit.Kestrel";
    private const string Http = "CbbToolkit.Http";
    private const string Yarp = "CbbToolkit.Yarp";
    private const string Cli = "cbb";
    private const string NativeApi = "libcbbipsec"; // src/NativeApi: the draft's C API, published NativeAOT as libcbbipsec.so

    private static readonly string[] s_libraries = [Ipsec, Channels, Kestrel, Http];

    /// <summary>
    /// Which assembly (or project) of src/, samples/ and benchmarks/ may reference which. Nothing references the CLI;
    /// no library references a test project or a test framework. <paramref name="isGoverned"/> says which names the
    /// table rules over: by default the toolkit's assemblies; for the project graph, every project.
    /// </summary>
    public static LayerRules Assemblies(Func<string, bool>? isGoverned = null) => LayerRules.FromTable(
            new Dictionary<string, string[]>
            {
                [Ipsec] = [],
                [Channels] = [Ipsec],
                [Kestrel] = [Channels, Ipsec],
                [Http] = [Channels, Ipsec],
                [Yarp] = [Kestrel, Http, Channels, Ipsec],   // the proxy: server side in, client side out
                [Cli] = s_libraries,
                [NativeApi] = [Channels, Ipsec],
                ["TlsChannelDemo"] = s_libraries,
                ["CbbToolkit.Benchmarks"] = s_libraries,
                ["CbbServer"] = s_libraries,
                ["LoadServer"] = s_libraries,
                ["CbbProxy"] = [.. s_libraries, Yarp],
                ["CbbDemo"] = s_libraries,
            },
            isGoverned ?? (name => name == Cli || name == NativeApi || name.StartsWith("CbbToolkit", StringComparison.Ordinal)))
        .Forbid("xunit", "a library must not depend on a test framework")
        .Forbid("Microsoft.VisualStudio.TestPlatform", "a library must not depend on a test framework")
        .Forbid("Microsoft.Extensions.TimeProvider.Testing", "FakeTimeProvider is for tests")
        .Forbid("CsCheck", "a library must not depend on a test framework")
        .Forbid("BenchmarkDotNet", "a library must not depend on the benchmark harness");

    /// <summary>Where DI registration extensions live by the .NET convention, whichever assembly defines them.</summary>
    public const string DependencyInjection = "Microsoft.Extensions.DependencyInjection";

    /// <summary>CbbToolkit.Ipsec's own types in the DI namespace: the composition root, above everything.</summary>
    public const string IpsecDependencyInjection = $"{Ipsec}:{DependencyInjection}";

    /// <summary>
    /// A folder of src/Ipsec is a namespace; its sub-namespaces (Vici.Protocol, Resolution.Matching) belong to it. The
    /// assembly's own types in another namespace (<paramref name="own"/>: DI extensions) are named after the assembly.
    /// </summary>
    public static string IpsecModule(string ns, bool own)
    {
        if (own && ns != Ipsec && !ns.StartsWith(Ipsec + ".", StringComparison.Ordinal))
        {
            return $"{Ipsec}:{ns}";
        }

        if (!ns.StartsWith(Ipsec + ".", StringComparison.Ordinal))
        {
            return ns;
        }

        var second = ns.IndexOf('.', Ipsec.Length + 1);
        return second < 0 ? ns : ns[..second];
    }

    /// <summary>
    /// The namespaces of CbbToolkit.Ipsec, lowest layer first: each uses only the layers below it, the members of one
    /// layer are independent of each other, and no namespace touches TLS. The root types and Interop form the base
    /// (Interop maps errno to the root's IpsecError; the root's IpsecErrors exposes that mapping).
    /// </summary>
    public static LayerRules IpsecNamespaces() => LayerRules.FromLayers(
            [
                [Ipsec],                                     // IpsecError, IpsecException, IpsecErrors
                [$"{Ipsec}.Interop"],                        // P/Invoke, LinuxErrno and the errno -> IpsecError mapping
                [$"{Ipsec}.Timing", $"{Ipsec}.Namespaces", $"{Ipsec}.Configuration"], // Configuration: the options check
                [$"{Ipsec}.Netlink"],
                [$"{Ipsec}.Xfrm", $"{Ipsec}.Vici"],          // independent of each other
                [$"{Ipsec}.Policies"],                       // the draft's policy: no kernel knowledge (below)
                [$"{Ipsec}.Sockets"],                        // records what it set; knows nothing of resolution
                [$"{Ipsec}.Resolution"],                     // reads what Sockets recorded, the XFRM mirror, VICI peers
                [$"{Ipsec}.Latching"],
                [IpsecDependencyInjection],                  // AddIpsec...: registers everything
            ],
            isGoverned: ns => ns.StartsWith(Ipsec, StringComparison.Ordinal),
            except:
            [
                ($"{Ipsec}.Policies", $"{Ipsec}.Interop"),
                ($"{Ipsec}.Policies", $"{Ipsec}.Namespaces"),
                ($"{Ipsec}.Policies", $"{Ipsec}.Netlink"),
                ($"{Ipsec}.Policies", $"{Ipsec}.Xfrm"),
                ($"{Ipsec}.Policies", $"{Ipsec}.Vici"),
            ],
            also:
            [
                // IpsecErrors.FromErrno is the public face of the one errno mapping, which lives with the errno list.
                (Ipsec, $"{Ipsec}.Interop"),
            ])
        .Forbid("System.Net.Security", "no TLS type in src/Ipsec (TLS lives in CbbToolkit.Channels.Tls)")
        .Forbid("System.Security.Authentication", "no TLS type in src/Ipsec (TLS lives in CbbToolkit.Channels.Tls)")
        .Forbid(Channels, "CbbToolkit.Ipsec is the bottom layer");

    /// <summary>
    /// CbbToolkit.Channels seen as two parts: the idiomatic types (with the assembly's own types in other namespaces,
    /// such as DI extensions), and the draft's C-shaped facade over them.
    /// </summary>
    public static string ChannelsPart(string ns, bool own) =>
        ns == $"{Channels}.DraftApi" || ns.StartsWith($"{Channels}.DraftApi.", StringComparison.Ordinal) ? $"{Channels}.DraftApi"
        : own || ns == Channels || ns.StartsWith(Channels + ".", StringComparison.Ordinal) ? Channels
        : ns;

    /// <summary>The facade is a thin face over the .NET types: nothing else in CbbToolkit.Channels uses it.</summary>
    public static LayerRules ChannelsNamespaces() => LayerRules.FromLayers(
        [[Channels], [$"{Channels}.DraftApi"]],
        isGoverned: ns => ns.StartsWith(Channels, StringComparison.Ordinal));
}
