using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace CbbToolkit.Testing.Capabilities;

/// <summary>
/// Skips the calling test with a reason that starts with its <see cref="SkipCategory"/> tag, so that ./run can tell an
/// explained skip from one that hides a test that should have run. Every skip in the test suites goes through here.
/// </summary>
public static class Skip
{
    /// <summary>The skip message: <c>[category] text</c>.</summary>
    public static string Reason(string category, string text)
    {
        if (!SkipCategory.All.Contains(category))
        {
            throw new ArgumentException($"unknown skip category '{category}'", nameof(category));
        }

        return $"[{category}] {text}";
    }

    /// <summary>Skips the test.</summary>
    [DoesNotReturn]
    public static void Because(string category, string text)
    {
        Assert.Skip(Reason(category, text));
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    /// <summary>Skips the test unless <paramref name="condition"/> holds.</summary>
    public static void Unless([DoesNotReturnIf(false)] bool condition, string category, string text)
    {
        if (!condition)
        {
            Because(category, text);
        }
    }

    /// <summary>Skips the test when <paramref name="condition"/> holds.</summary>
    public static void When([DoesNotReturnIf(true)] bool condition, string category, string text) => Unless(!condition, category, text);
}
