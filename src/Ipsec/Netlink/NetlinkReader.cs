namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// Walks the netlink messages of one datagram. Every length is checked against what remains before it is used;
/// a message that claims more than the datagram holds is a <see cref="IpsecError.BadMessage"/> error.
/// </summary>
internal ref struct NetlinkReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    /// <summary>Reads the next message; false at the end of the datagram.</summary>
    public bool TryRead(out NetlinkMessageHeader header, out ReadOnlySpan<byte> payload)
    {
        if (_remaining.IsEmpty)
        {
            header = default;
            payload = default;
            return false;
        }

        if (_remaining.Length < NetlinkAlignment.MessageHeaderLength)
        {
            NetlinkThrow.BadMessage($"{_remaining.Length} octets left, too few for a message header");
        }

        header = NetlinkMessageHeader.Read(_remaining);
        if (header.Length < NetlinkAlignment.MessageHeaderLength || header.Length > _remaining.Length)
        {
            NetlinkThrow.BadMessage($"message length {header.Length} with {_remaining.Length} octets left");
        }

        payload = _remaining[NetlinkAlignment.MessageHeaderLength..header.Length];
        var next = NetlinkAlignment.Align(header.Length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}
