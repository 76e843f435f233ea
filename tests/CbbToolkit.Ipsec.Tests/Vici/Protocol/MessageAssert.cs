using CbbToolkit.Ipsec.Vici;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici.Protocol;

/// <summary>Structural equality of two messages: same entries, same order, same kinds, same bytes.</summary>
internal static class MessageAssert
{
    public static void Equal(ViciMessage expected, ViciMessage actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected.Entries[i];
            var a = actual.Entries[i];
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Kind, a.Kind);
            switch (e.Kind)
            {
                case ViciEntryKind.Value:
                    Assert.Equal(e.Value.ToArray(), a.Value.ToArray());
                    break;
                case ViciEntryKind.List:
                    Assert.Equal(e.Items!.Select(x => x.ToArray()), a.Items!.Select(x => x.ToArray()));
                    break;
                default:
                    Equal(e.Section!, a.Section!);
                    break;
            }
        }
    }
}
