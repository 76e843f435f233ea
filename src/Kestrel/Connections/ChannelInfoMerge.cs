using CbbToolkit.Channels;

namespace CbbToolkit.Kestrel.Connections;

/// <summary>Adds the TLS attributes to a connection's IPsec channel information; an attribute both have keeps the IPsec value (e.g. created-at).</summary>
internal static class ChannelInfoMerge
{
    public static ChannelInfo AddMissing(ChannelInfo? ipsec, ChannelInfo tls)
    {
        var merged = ipsec ?? ChannelInfo.Empty;
        foreach (var type in tls.AttributeTypes)
        {
            if (!merged.Contains(type))
            {
                merged = merged.With(type, tls.Get(type).Span);
            }
        }

        return merged;
    }
}
