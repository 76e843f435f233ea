using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using CbbToolkit.Architecture.Tests.Reading;
using CbbToolkit.Channels.DraftApi;
using Xunit;

namespace CbbToolkit.Architecture.Tests.Docs;

/// <summary>
/// include/ipsec_api.h is true to the facade: every IPSEC_* constant of IpsecApi is #defined with its value, and nothing
/// else but the constants of the C ABI itself.
/// </summary>
public sealed partial class CHeaderTests
{
    // Only C has them: the msghdr control message of ipsec_set_msg_policy (src/NativeApi/MsgPolicyControl.cs).
    private static readonly Dictionary<string, uint> CAbiOnly = new(StringComparer.Ordinal)
    {
        ["IPSEC_MSG_POLICY_LEN"] = 400,
    };

    [Fact]
    public void Header_DefinesEveryFacadeConstant_WithItsValue()
    {
        var header = File.ReadAllText(Path.Combine(ProjectFiles.RepositoryRoot, "include", "ipsec_api.h"));
        var defined = Define().Matches(header).ToDictionary(m => m.Groups[1].Value, m => uint.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var expected = typeof(IpsecApi).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.StartsWith("IPSEC_", StringComparison.Ordinal))
            .Select(f => KeyValuePair.Create(f.Name, (uint)f.GetRawConstantValue()!))
            .Concat(CAbiOnly)
            .ToDictionary();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(p => p.Key), defined.OrderBy(p => p.Key));
    }

    [GeneratedRegex(@"^#define (IPSEC_\w+)\s+(\d+)u\b", RegexOptions.Multiline)]
    private static partial Regex Define();
}
