using System.Net.Sockets;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>An <see cref="XfrmSelector"/> in numeric form, matched as the kernel's xfrm_selector_match does.</summary>
internal readonly struct CompiledSelector
{
    public CompiledSelector(XfrmSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        Width = selector.Family switch
        {
            AddressFamily.InterNetwork => 32,
            AddressFamily.InterNetworkV6 => 128,
            _ => 0,
        };
        if (Width != 0)
        {
            Source = AddressKey.From(selector.Source);
            Destination = AddressKey.From(selector.Destination);
            if (Source.Width != Width || Destination.Width != Width)
            {
                throw new IpsecException(IpsecError.InvalidArgument,
                    $"Selector {selector.Source} -> {selector.Destination} does not match its family {selector.Family}.");
            }
        }

        SourcePrefix = selector.SourcePrefixLength;
        DestinationPrefix = selector.DestinationPrefixLength;
        SourcePort = selector.SourcePort;
        SourcePortMask = selector.SourcePortMask;
        DestinationPort = selector.DestinationPort;
        DestinationPortMask = selector.DestinationPortMask;
        Protocol = (byte)selector.Protocol;
        InterfaceIndex = selector.InterfaceIndex;
    }

    /// <summary>32, 128, or 0 for a selector whose family the kernel left unspecified (it then matches any flow).</summary>
    public byte Width { get; }

    public AddressKey Source { get; }

    public AddressKey Destination { get; }

    public byte SourcePrefix { get; }

    public byte DestinationPrefix { get; }

    public ushort SourcePort { get; }

    public ushort SourcePortMask { get; }

    public ushort DestinationPort { get; }

    public ushort DestinationPortMask { get; }

    public byte Protocol { get; }

    public int InterfaceIndex { get; }

    /// <summary>
    /// Addresses by prefix, ports under their masks, protocol 0 = any. The interface index is not checked here: the
    /// resolver cannot know a flow's interface, and treats such selectors as uncertain instead.
    /// </summary>
    public bool Matches(in FlowKey flow)
    {
        if (Width == 0)
        {
            return true;
        }

        return Width == flow.Width
            && Destination.SharesPrefix(flow.Destination, DestinationPrefix)
            && Source.SharesPrefix(flow.Source, SourcePrefix)
            && ((flow.DestinationPort ^ DestinationPort) & DestinationPortMask) == 0
            && ((flow.SourcePort ^ SourcePort) & SourcePortMask) == 0
            && (Protocol == 0 || Protocol == flow.Protocol);
    }

    /// <summary>True when the selector covers exactly this one flow direction (full prefixes, protocol, both ports).</summary>
    public bool IsNarrowedTo(in FlowKey flow) =>
        Width == flow.Width
        && SourcePrefix >= Width && DestinationPrefix >= Width
        && Source == flow.Source && Destination == flow.Destination
        && Protocol != 0 && Protocol == flow.Protocol
        && SourcePortMask == ushort.MaxValue && DestinationPortMask == ushort.MaxValue
        && SourcePort == flow.SourcePort && DestinationPort == flow.DestinationPort;

    /// <summary>Both prefixes are full: the policy can live in the exact host-pair index.</summary>
    public bool IsHostPair => Width != 0 && SourcePrefix >= Width && DestinationPrefix >= Width;
}
