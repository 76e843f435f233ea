namespace CbbToolkit.Architecture.Tests.Rules;

/// <summary>
/// Which node may depend on which. Nodes are names (assemblies, or namespace "modules"); each known node has the set
/// of nodes it may use. An edge to a node outside <see cref="IsGoverned"/> is not this table's business (System.*, a
/// package); an edge from or to a governed node that is not in the table is a violation, so a new project or folder
/// cannot slip past: it has to be placed in the table (and in the design docs).
/// </summary>
public sealed class LayerRules
{
    private readonly Dictionary<string, HashSet<string>> _allowed;
    private readonly Func<string, bool> _isGoverned;
    private readonly List<(string Prefix, string Why)> _forbiddenExternal = [];

    private LayerRules(Dictionary<string, HashSet<string>> allowed, Func<string, bool> isGoverned)
    {
        _allowed = allowed;
        _isGoverned = isGoverned;
    }

    /// <summary>The nodes the table knows.</summary>
    public IReadOnlyCollection<string> Nodes => _allowed.Keys;

    /// <summary>Whether <paramref name="node"/> is one the table rules over (the toolkit's own), not a third party.</summary>
    public bool IsGoverned(string node) => _allowed.ContainsKey(node) || _isGoverned(node);

    /// <summary>An explicit table: each node and the nodes it may use.</summary>
    public static LayerRules FromTable(IReadOnlyDictionary<string, string[]> allowed, Func<string, bool> isGoverned)
    {
        var table = allowed.ToDictionary(e => e.Key, e => new HashSet<string>(e.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (node, uses) in table)
        {
            foreach (var used in uses)
            {
                if (!table.ContainsKey(used))
                {
                    throw new ArgumentException($"{node} may use {used}, which is not in the table", nameof(allowed));
                }
            }
        }

        return new LayerRules(table, isGoverned);
    }

    /// <summary>
    /// Ordered layers, lowest first: a node may use every node of the layers below its own, none of its own layer
    /// (those are independent of each other) and none above. <paramref name="except"/> removes single permissions the
    /// order would give (e.g. "Policies has no kernel knowledge"); <paramref name="also"/> adds single ones it would not,
    /// each a documented exception.
    /// </summary>
    public static LayerRules FromLayers(
        IReadOnlyList<string[]> layers,
        Func<string, bool> isGoverned,
        IEnumerable<(string From, string To)>? except = null,
        IEnumerable<(string From, string To)>? also = null)
    {
        var table = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var below = new List<string>();
        foreach (var layer in layers)
        {
            foreach (var node in layer)
            {
                if (!table.TryAdd(node, new HashSet<string>(below, StringComparer.Ordinal)))
                {
                    throw new ArgumentException($"{node} appears in two layers", nameof(layers));
                }
            }

            below.AddRange(layer);
        }

        foreach (var (from, to) in except ?? [])
        {
            if (!table.TryGetValue(from, out var uses) || !uses.Remove(to))
            {
                throw new ArgumentException($"the exception {from} -> {to} removes nothing the layers allow", nameof(except));
            }
        }

        foreach (var (from, to) in also ?? [])
        {
            if (!table.TryGetValue(from, out var uses) || !table.ContainsKey(to) || !uses.Add(to))
            {
                throw new ArgumentException($"the addition {from} -> {to} names an unknown node or adds nothing", nameof(also));
            }
        }

        return new LayerRules(table, isGoverned);
    }

    /// <summary>Forbids every node to use anything whose name starts with <paramref name="prefix"/> (a third party).</summary>
    public LayerRules Forbid(string prefix, string why)
    {
        _forbiddenExternal.Add((prefix, why));
        return this;
    }

    /// <summary>Whether <paramref name="from"/> may use <paramref name="to"/> (false for nodes the table does not know).</summary>
    public bool Allows(string from, string to) => _allowed.TryGetValue(from, out var uses) && uses.Contains(to);

    /// <summary>The edges that break the rules, one readable line each; empty when all hold.</summary>
    public IReadOnlyList<string> Check(IEnumerable<Dependency> edges)
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            if (edge.From == edge.To)
            {
                continue;
            }

            var forbidden = _forbiddenExternal.FirstOrDefault(f => IsUnder(edge.To, f.Prefix));
            if (forbidden.Prefix is not null)
            {
                violations.Add($"{edge.From} -> {edge.To} ({edge.Evidence}): {forbidden.Why}");
                continue;
            }

            if (!IsGoverned(edge.From) && !IsGoverned(edge.To))
            {
                continue;
            }

            if (!_allowed.ContainsKey(edge.From))
            {
                violations.Add($"{edge.From} ({edge.Evidence}) is in no layer: place it in the layer table and the design docs");
            }
            else if (!IsGoverned(edge.To))
            {
                continue;
            }
            else if (!_allowed.ContainsKey(edge.To))
            {
                violations.Add($"{edge.From} -> {edge.To} ({edge.Evidence}): {edge.To} is in no layer");
            }
            else if (!Allows(edge.From, edge.To))
            {
                violations.Add($"{edge.From} -> {edge.To} ({edge.Evidence}) is not allowed; {edge.From} may use: {Describe(edge.From)}");
            }
        }

        return [.. violations];
    }

    private string Describe(string node) =>
        _allowed[node].Count == 0 ? "nothing of its own kind" : string.Join(", ", _allowed[node].Order(StringComparer.Ordinal));

    private static bool IsUnder(string name, string prefix) =>
        name.Equals(prefix, StringComparison.Ordinal) || name.StartsWith(prefix + ".", StringComparison.Ordinal);
}
