namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>One direction of a flow as the kernel's struct flowi sees it: packet source and destination.</summary>
internal readonly struct FlowKey
{
    public FlowKey(AddressKey source, AddressKey destination, ushort sourcePort, ushort destinationPort, byte protocol)
    {
        Source = source;
        Destination = destination;
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        Protocol = protocol;
    }

    public AddressKey Source { get; }

    public AddressKey Destination { get; }

    public ushort SourcePort { get; }

    public ushort DestinationPort { get; }

    public byte Protocol { get; }

    public byte Width => Destination.Width;

    /// <summary>The outbound direction of a flow: local to remote.</summary>
    public static FlowKey Outbound(IpsecFlow flow) =>
        new(flow.LocalKey, flow.RemoteKey, (ushort)flow.Local.Port, (ushort)flow.Remote.Port, (byte)flow.Protocol);

    /// <summary>The inbound direction of a flow: remote to local.</summary>
    public static FlowKey Inbound(IpsecFlow flow) =>
        new(flow.RemoteKey, flow.LocalKey, (ushort)flow.Remote.Port, (ushort)flow.Local.Port, (byte)flow.Protocol);
}
