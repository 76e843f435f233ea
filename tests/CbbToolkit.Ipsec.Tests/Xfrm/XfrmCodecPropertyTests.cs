using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>Round trips of every field, and hostile input: only typed errors, never a crash or a hang.</summary>
public sealed class XfrmCodecPropertyTests
{
    private static readonly ushort[] MessageTypes = [.. Enumerable.Range(0, 0x30).Select(i => (ushort)i)];

    [Fact]
    public void State_EncodeDecode_RoundTrips() =>
        XfrmGenerators.State.Sample(state =>
        {
            var w = new NetlinkWriter();
            XfrmStateCodec.Write(w, state);
            Assert.Equal(state, XfrmStateCodec.ReadMessage(w.WrittenSpan));
        }, iter: 2000);

    [Fact]
    public void Policy_EncodeDecode_RoundTrips() =>
        XfrmGenerators.Policy.Sample(policy =>
        {
            var w = new NetlinkWriter();
            XfrmPolicyCodec.Write(w, policy);
            Assert.Equal(policy, XfrmPolicyCodec.ReadMessage(w.WrittenSpan));
        }, iter: 2000);

    [Fact]
    public void SocketPolicyForm_IsInfoThenTemplates() =>
        XfrmGenerators.Policy.Sample(policy =>
        {
            var bytes = XfrmPolicyCodec.EncodeSocketPolicy(policy with { Mark = null, InterfaceId = null, Type = XfrmPolicyType.Main });
            var templates = XfrmPolicyCodec.ReadTemplates(bytes.AsSpan(XfrmLayout.PolicyInfoSize));
            Assert.Equal(policy.Templates, templates);
            Assert.Equal(policy with { Templates = [], Mark = null, InterfaceId = null, Type = XfrmPolicyType.Main },
                XfrmPolicyCodec.Read(bytes.AsSpan(0, XfrmLayout.PolicyInfoSize), []));
        }, iter: 500);

    [Fact]
    public void RandomOctets_AnyDecoder_OnlyTypedErrors() =>
        Gen.Select(Gen.Byte.Array[0, 600], Gen.OneOfConst(MessageTypes)).Sample((bytes, type) =>
        {
            OnlyTypedErrors(() => XfrmStateCodec.ReadMessage(bytes));
            OnlyTypedErrors(() => XfrmPolicyCodec.ReadMessage(bytes));
            OnlyTypedErrors(() => XfrmEventCodec.Read(type, bytes));
            OnlyTypedErrors(() => XfrmMonitor.Decode(bytes, new Queue<XfrmEvent>()));
            OnlyTypedErrors(() => NetlinkError.Parse((NetlinkMessageFlags)(type << 4), bytes));
        }, iter: 20000);

    [Fact]
    public void CorruptedOrTruncatedMessages_OnlyTypedErrors() =>
        Gen.Select(XfrmGenerators.State, XfrmGenerators.Policy, Gen.Int.Array[1, 8], Gen.Byte.Array[8], Gen.OneOfConst(MessageTypes))
            .Sample((state, policy, positions, values, type) =>
            {
                foreach (var message in (byte[][])[Encode(w => XfrmStateCodec.Write(w, state), XfrmMessageType.NewSa),
                             Encode(w => XfrmPolicyCodec.Write(w, policy), XfrmMessageType.NewPolicy)])
                {
                    var corrupted = (byte[])message.Clone();
                    for (var i = 0; i < positions.Length; i++)
                    {
                        corrupted[(int)((uint)positions[i] % corrupted.Length)] = values[i];
                    }

                    var truncated = message.AsSpan(0, (int)((uint)positions[0] % message.Length)).ToArray();
                    foreach (var bytes in (byte[][])[corrupted, truncated])
                    {
                        OnlyTypedErrors(() => XfrmMonitor.Decode(bytes, new Queue<XfrmEvent>()));
                        OnlyTypedErrors(() => XfrmEventCodec.Read(type, bytes.AsSpan(Math.Min(16, bytes.Length))));
                    }
                }
            }, iter: 3000);

    private static byte[] Encode(Action<NetlinkWriter> body, ushort type)
    {
        var w = new NetlinkWriter();
        var token = w.BeginMessage(type, NetlinkMessageFlags.None, 1);
        body(w);
        w.EndMessage(token);
        return w.WrittenSpan.ToArray();
    }

    private static void OnlyTypedErrors(Action decode)
    {
        try
        {
            decode();
        }
        catch (IpsecException)
        {
        }
    }
}
