using Xunit;

namespace CbbToolkit.Architecture.Tests.Rules;

/// <summary>Fails with every violation on its own line (xunit's collection message would cut them short).</summary>
internal static class Violations
{
    public static void AssertNone(IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, $"{violations.Count} layer rule violation(s):\n" + string.Join("\n", violations));
}
