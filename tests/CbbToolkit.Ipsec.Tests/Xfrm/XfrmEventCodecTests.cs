using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>
/// Event layouts the host kernel cannot produce (no SAs without ESP), built as xfrm_user.c builds them:
/// EXPIRE = xfrm_user_expire + SA attributes; DELSA = xfrm_usersa_id + XFRMA_SA + SA attributes.
/// The UML suite sees the kernel's own.
/// </summary>
public sealed class XfrmEventCodecTests
{
    [Fact]
    public void Expire_CarriesStateAndHardFlag() =>
        Gen.Select(XfrmGenerators.State, Gen.Bool).Sample((state, hard) =>
        {
            var w = new NetlinkWriter();
            XfrmStateCodec.WriteInfo(w.Reserve(XfrmLayout.SaInfoSize), state);
            w.Reserve(XfrmLayout.ExpireSize - XfrmLayout.SaInfoSize)[0] = hard ? (byte)1 : (byte)0;
            XfrmStateAttributeCodec.Write(w, state);

            Assert.Equal(new XfrmExpireEvent(state, hard), XfrmEventCodec.Read(XfrmMessageType.Expire, w.WrittenSpan));
        }, iter: 500);

    [Fact]
    public void DeleteSa_StateComesFromXfrmaSaAndItsSiblings() =>
        XfrmGenerators.State.Sample(state =>
        {
            var w = new NetlinkWriter();
            XfrmStateCodec.WriteSaId(w.Reserve(XfrmLayout.SaIdSize), state.Destination, state.Spi, state.Protocol);
            var sa = w.BeginAttribute(XfrmAttributeType.Sa);
            XfrmStateCodec.WriteInfo(w.Reserve(XfrmLayout.SaInfoSize), state);
            w.EndAttribute(sa);
            XfrmStateAttributeCodec.Write(w, state);

            Assert.Equal(new XfrmStateEvent(XfrmChange.Deleted, state), XfrmEventCodec.Read(XfrmMessageType.DeleteSa, w.WrittenSpan));
        }, iter: 500);

    [Fact]
    public void UnknownMessageType_OtherEvent() =>
        Assert.Equal(new XfrmOtherEvent(XfrmMessageType.Mapping), XfrmEventCodec.Read(XfrmMessageType.Mapping, []));
}
