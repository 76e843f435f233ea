using CbbToolkit.Yarp.Headers;

namespace CbbToolkit.Yarp.Identity;

/// <summary>Re-writes a trusted upstream's CBB-Identity with a longer <c>via</c> list (mode Append).</summary>
internal static class IpsecIdentityForwarding
{
    public static string WithVia(IReadOnlyDictionary<string, object> members, IReadOnlyList<string> via)
    {
        var writer = new StructuredDictionaryWriter();
        foreach (var (key, value) in members)
        {
            if (key == IpsecIdentityKeys.Via || value is IEnumerable<object> list && !list.All(i => i is string))
            {
                continue; // members this format does not have are not passed on
            }

            writer.Value(key, value);
        }

        writer.StringList(IpsecIdentityKeys.Via, via);
        return writer.ToString();
    }
}
