using System.Buffers.Binary;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;

namespace CbbToolkit.NativeApi;

/// <summary>
/// The control message that carries a policy in a <c>struct msghdr</c> (draft 2.1.4): level IPSEC_SOL_CBB, type
/// IPSEC_CMSG_POLICY, a payload of "CBBP", version 1, a count, then (type, length, value) per attribute, host order
/// like the attributes themselves. Linux has no such control message: the kernel ignores the level (docs/api.md).
/// </summary>
internal static unsafe class MsgPolicyControl
{
    /// <summary>cmsg_level: outside every protocol level Linux knows ("CBB\0").</summary>
    public const int Level = 0x43424200;

    /// <summary>cmsg_type.</summary>
    public const int Type = 1;

    /// <summary>The payload's fixed size: every attribute of Table 2 fits (10 numbers and a 255-octet name).</summary>
    public const int PayloadLength = 400;

    private const uint Magic = 0x50424243; // "CBBP" read as a little-endian word
    private const int HeaderLength = 8;
    private const uint LastAttribute = IpsecApi.IPSEC_POLICY_NAME;

    // Linux, 64-bit: struct msghdr { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen; void *control;
    // size_t controllen; int flags; }, struct cmsghdr { size_t len; int level; int type; } with 8-byte alignment.
    private const int ControlOffset = 32;
    private const int ControlLengthOffset = 40;
    private const int CmsgHeaderLength = 16;

    /// <summary>CMSG_SPACE(PayloadLength): what the caller reserves at the start of msg_control.</summary>
    public const int Space = CmsgHeaderLength + ((PayloadLength + 7) & ~7);

    /// <summary>Writes the policy's control message at the start of the message's control buffer.</summary>
    public static int Write(byte* msg, IpsecPolicyHandle policy)
    {
        var control = *(byte**)(msg + ControlOffset);
        var controlLength = *(nuint*)(msg + ControlLengthOffset);
        if (control is null || controlLength < Space)
        {
            return (int)IpsecError.MessageTooLarge;
        }

        Span<byte> payload = stackalloc byte[PayloadLength];
        payload.Clear();
        var at = HeaderLength;
        byte count = 0;
        for (var type = 1u; type <= LastAttribute; type++)
        {
            var rc = IpsecApi.ipsec_get_policy_attr(policy, type, out var len, out var value);
            if (rc == (int)IpsecError.NotFound)
            {
                continue;
            }

            if (rc != 0)
            {
                return rc;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(payload[at..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(payload[(at + 4)..], len);
            value.AsSpan(0, (int)len).CopyTo(payload[(at + 8)..]);
            at += 8 + (int)len;
            count++;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(payload, Magic);
        payload[4] = 1;
        payload[5] = count;

        *(nuint*)control = (nuint)(CmsgHeaderLength + PayloadLength);
        *(int*)(control + 8) = Level;
        *(int*)(control + 12) = Type;
        payload.CopyTo(new Span<byte>(control + CmsgHeaderLength, PayloadLength));
        return 0;
    }

    /// <summary>Finds the policy's control message among the message's and parses it: 0, ENOENT (none), EBADMSG.</summary>
    public static int Read(byte* msg, out IpsecPolicyHandle? policy)
    {
        policy = null;
        var control = *(byte**)(msg + ControlOffset);
        var controlLength = *(nuint*)(msg + ControlLengthOffset);
        if (control is null)
        {
            return (int)IpsecError.NotFound;
        }

        // CMSG_FIRSTHDR / CMSG_NXTHDR over [control, control + controlLength).
        nuint offset = 0;
        while (offset + CmsgHeaderLength <= controlLength)
        {
            var header = control + offset;
            var len = *(nuint*)header;
            if (len < CmsgHeaderLength)
            {
                break; // the end, as for glibc's CMSG_NXTHDR (a zeroed buffer holds none)
            }

            if (len > controlLength - offset)
            {
                return (int)IpsecError.BadMessage;
            }

            if (*(int*)(header + 8) == Level && *(int*)(header + 12) == Type)
            {
                return Parse(new ReadOnlySpan<byte>(header + CmsgHeaderLength, checked((int)(len - CmsgHeaderLength))), out policy);
            }

            offset += (len + 7) & ~(nuint)7;
        }

        return (int)IpsecError.NotFound;
    }

    private static int Parse(ReadOnlySpan<byte> payload, out IpsecPolicyHandle? policy)
    {
        policy = null;
        if (payload.Length != PayloadLength || BinaryPrimitives.ReadUInt32LittleEndian(payload) != Magic || payload[4] != 1)
        {
            return (int)IpsecError.BadMessage;
        }

        var result = IpsecApi.ipsec_create_policy(IpsecApi.IPSEC_DEFAULT_POLICY)!;
        var at = HeaderLength;
        for (var i = 0; i < payload[5]; i++)
        {
            if (at + 8 > payload.Length)
            {
                return Reject(result);
            }

            var type = BinaryPrimitives.ReadUInt32LittleEndian(payload[at..]);
            var len = BinaryPrimitives.ReadUInt32LittleEndian(payload[(at + 4)..]);
            if (len > (uint)(payload.Length - at - 8)
                || IpsecApi.ipsec_set_policy_attr(result, type, len, payload.Slice(at + 8, (int)len)) != 0)
            {
                return Reject(result);
            }

            at += 8 + (int)len;
        }

        policy = result;
        return 0;
    }

    private static int Reject(IpsecPolicyHandle policy)
    {
        policy.Dispose();
        return (int)IpsecError.BadMessage;
    }
}
