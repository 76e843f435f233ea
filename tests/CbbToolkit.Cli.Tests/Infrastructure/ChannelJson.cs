using System.Text.Json;
using Xunit;

namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>Reads cbb's --json output: exactly one JSON object per line.</summary>
internal static class ChannelJson
{
    /// <summary>Parses the single line of output; fails when there is not exactly one line or it is not an object.</summary>
    public static JsonElement Single(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected exactly one JSON line, got {lines.Length}:\n{stdout}");
        using var document = JsonDocument.Parse(lines[0]);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    /// <summary>A string property, or null when it is JSON null; fails when the property is missing.</summary>
    public static string? Text(this JsonElement json, string name)
    {
        Assert.True(json.TryGetProperty(name, out var value), $"missing key '{name}' in {json}");
        return value.ValueKind == JsonValueKind.Null ? null : value.GetString();
    }

    /// <summary>A hex property that must be present: lower-case hex of the given length.</summary>
    public static string Hex(this JsonElement json, string name, int hexDigits)
    {
        var text = json.Text(name);
        Assert.NotNull(text);
        Assert.Matches($"^[0-9a-f]{{{hexDigits}}}$", text);
        return text;
    }
}
