using System.Buffers.Binary;
using System.Text;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// The content of an NLMSG_ERROR message (struct nlmsgerr): the errno (0 for an ACK), and, when the socket asked for
/// extended ACKs, the kernel's own explanation (NLMSGERR_ATTR_MSG) and the offset of the offending octet in our request.
/// </summary>
internal readonly record struct NetlinkError(int Errno, string? KernelMessage, int? Offset)
{
    private const ushort AttributeMessage = 1;
    private const ushort AttributeOffset = 2;

    public bool IsAck => Errno == 0;

    public static NetlinkError Parse(NetlinkMessageFlags flags, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4 + NetlinkAlignment.MessageHeaderLength)
        {
            NetlinkThrow.BadMessage($"NLMSG_ERROR payload of {payload.Length} octets");
        }

        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (error > 0 || error < -4095)
        {
            NetlinkThrow.BadMessage($"NLMSG_ERROR code {error}");
        }

        string? message = null;
        int? offset = null;
        if ((flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            // The original request follows the code: its header only when capped, all of it otherwise.
            var echoed = (flags & NetlinkMessageFlags.Capped) != 0
                ? NetlinkAlignment.MessageHeaderLength
                : NetlinkMessageHeader.Read(payload[4..]).Length;
            var tlvStart = 4 + NetlinkAlignment.Align(echoed);
            if (echoed < NetlinkAlignment.MessageHeaderLength || tlvStart > payload.Length)
            {
                NetlinkThrow.BadMessage($"NLMSG_ERROR echoes {echoed} octets of a {payload.Length}-octet payload");
            }

            var attributes = new NetlinkAttributeReader(payload[tlvStart..]);
            while (attributes.TryRead(out var type, out var value))
            {
                if (type == AttributeMessage)
                {
                    var end = value.IndexOf((byte)0);
                    message = Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
                }
                else if (type == AttributeOffset && value.Length >= 4)
                {
                    offset = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(value), int.MaxValue);
                }
            }
        }

        return new NetlinkError(-error, string.IsNullOrEmpty(message) ? null : message, offset);
    }
}
