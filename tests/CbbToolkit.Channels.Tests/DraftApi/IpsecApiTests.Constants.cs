using System.Reflection;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec.Policies;
using Xunit;

namespace CbbToolkit.Channels.Tests.DraftApi;

public sealed partial class IpsecApiTests
{
    private static readonly Dictionary<string, uint> s_constants = typeof(IpsecApi)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .ToDictionary(f => f.Name, f => (uint)f.GetRawConstantValue()!);

    // The C name of a channel attribute is IPSEC_CI_ + its JSON name in upper snake case (docs/api.md).
    [Fact]
    public void Constants_OnePerChannelAttributeNamedAfterTheSpec()
    {
        foreach (var spec in ChannelAttributeSpec.All)
        {
            var name = "IPSEC_CI_" + spec.Name.ToUpperInvariant().Replace('-', '_');
            Assert.True(s_constants.TryGetValue(name, out var value), name);
            Assert.Equal((uint)spec.Type, value);
        }

        Assert.Equal(ChannelAttributeSpec.All.Count, s_constants.Keys.Count(k => k.StartsWith("IPSEC_CI_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Constants_OnePerPolicyAttributeAndType()
    {
        var policyConstants = s_constants.Where(c => !c.Key.StartsWith("IPSEC_CI_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Enum.GetValues<IpsecPolicyAttributeType>().Length + Enum.GetValues<IpsecPolicyType>().Length, policyConstants.Length);
        Assert.Equal(Enum.GetValues<IpsecPolicyAttributeType>().Select(v => (uint)v).Order(),
            policyConstants.Where(c => c.Key != "IPSEC_DEFAULT_POLICY").Select(c => c.Value).Order());
        Assert.Equal((uint)IpsecPolicyAttributeType.BtnsStandalone, s_constants["IPSEC_BTNS_STANDALONE"]);
        Assert.Equal((uint)IpsecPolicyAttributeType.BtnsChannelBinding, s_constants["IPSEC_BTNS_CHANNEL_BINDING"]);
        Assert.Equal((uint)IpsecPolicyType.Default, s_constants["IPSEC_DEFAULT_POLICY"]);
    }
}
