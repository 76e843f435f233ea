using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Namespaces;

/// <summary>
/// Two <see cref="ScratchNamespace"/>s joined by a veth pair, made and deleted with as few <c>ip</c> runs as possible:
/// three to make (one <c>ip -batch</c> for both namespaces and the veth pair, one per namespace for lo and the caller's
/// set-up), one to delete. Process starts cost 0.3 s and more in User-Mode Linux, where the lab tests make a pair each.
/// </summary>
public sealed class ScratchNamespacePair : IDisposable
{
    private ScratchNamespacePair(ScratchNamespace a, ScratchNamespace b) => (A, B) = (a, b);

    /// <summary>The first namespace; its end of the veth pair is the interface named at creation.</summary>
    public ScratchNamespace A { get; }

    /// <summary>The second namespace.</summary>
    public ScratchNamespace B { get; }

    /// <summary>
    /// Creates namespaces <paramref name="nameA"/> and <paramref name="nameB"/> with a veth pair between them
    /// (<paramref name="interfaceA"/> in A, <paramref name="interfaceB"/> in B), sets lo up in both and runs each one's
    /// <c>ip -batch</c> set-up lines (addresses, SAs, policies) inside it; skips the test when this machine cannot.
    /// </summary>
    public static ScratchNamespacePair Create(string nameA, string interfaceA, string setupA, string nameB, string interfaceB, string setupB)
    {
        ScratchNamespace.RequireSupport();
        var pair = new ScratchNamespacePair(new ScratchNamespace(nameA), new ScratchNamespace(nameB));
        try
        {
            Tool.Run("ip", ["-batch", "-"],
                $"netns add {nameA}\nnetns add {nameB}\nlink add {interfaceA} netns {nameA} type veth peer name {interfaceB} netns {nameB}\n");
            pair.A.Batch("link set lo up\n" + setupA);
            pair.B.Batch("link set lo up\n" + setupB);
        }
        catch
        {
            pair.Dispose();
            throw;
        }

        return pair;
    }

    /// <summary>Deletes both namespaces (and the veth pair with them) in one <c>ip</c> run.</summary>
    public void Dispose() =>
        // -force: go on after an error, so B goes even when A was never made.
        Tool.TryRun("ip", ["-force", "-batch", "-"], $"netns del {A.Name}\nnetns del {B.Name}\n");
}
