using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Xfrm;
using CsCheck;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>CsCheck generators for the XFRM model, covering every field the codec writes.</summary>
internal static class XfrmGenerators
{
    public static readonly Gen<AddressFamily> Family = Gen.OneOfConst(AddressFamily.InterNetwork, AddressFamily.InterNetworkV6);

    public static Gen<IPAddress> Address(AddressFamily family) =>
        Gen.Byte.Array[family == AddressFamily.InterNetwork ? 4 : 16].Select(b => new IPAddress(b));

    public static readonly Gen<XfrmSelector> Selector =
        Gen.OneOfConst(AddressFamily.InterNetwork, AddressFamily.InterNetworkV6, AddressFamily.Unspecified).SelectMany(family =>
        {
            var addressFamily = family == AddressFamily.InterNetwork ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            var max = family == AddressFamily.InterNetwork ? 32 : 128;
            return Gen.Select(Address(addressFamily), Address(addressFamily), Gen.Int[0, max], Gen.Int[0, max],
                Gen.Select(Gen.UShort, Gen.UShort, Gen.UShort, Gen.UShort), Gen.Byte, Gen.Int, Gen.UInt,
                (d, s, dp, sp, ports, proto, ifindex, user) => new XfrmSelector
                {
                    Family = family,
                    Destination = d,
                    Source = s,
                    DestinationPrefixLength = (byte)dp,
                    SourcePrefixLength = (byte)sp,
                    DestinationPort = ports.Item1,
                    DestinationPortMask = ports.Item2,
                    SourcePort = ports.Item3,
                    SourcePortMask = ports.Item4,
                    Protocol = (ProtocolType)proto,
                    InterfaceIndex = ifindex,
                    User = user,
                });
        });

    public static readonly Gen<XfrmLifetimeConfig> Lifetime =
        Gen.Select(Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong), Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong),
            (a, b) => new XfrmLifetimeConfig
            {
                SoftByteLimit = a.Item1,
                HardByteLimit = a.Item2,
                SoftPacketLimit = a.Item3,
                HardPacketLimit = a.Item4,
                SoftAddExpiresSeconds = b.Item1,
                HardAddExpiresSeconds = b.Item2,
                SoftUseExpiresSeconds = b.Item3,
                HardUseExpiresSeconds = b.Item4,
            });

    public static readonly Gen<XfrmLifetimeCurrent> Current =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong, (a, b, c, d) => new XfrmLifetimeCurrent(a, b, c, d));

    public static readonly Gen<XfrmMark?> Mark = Gen.Select(Gen.UInt, Gen.UInt, (v, m) => new XfrmMark(v, m)).Nullable();

    public static readonly Gen<XfrmTemplate> Template = Family.SelectMany(family =>
        Gen.Select(Address(family), Address(family), Gen.UInt, Gen.Byte, Gen.Byte, Gen.UInt, Gen.Select(Gen.Byte, Gen.Bool),
            Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt),
            (d, s, spi, proto, mode, reqid, share, algos) => new XfrmTemplate
            {
                Destination = d,
                Source = s,
                Spi = spi,
                Protocol = (XfrmProtocol)proto,
                Mode = (XfrmMode)mode,
                RequestId = reqid,
                Share = share.Item1,
                IsOptional = share.Item2,
                AuthenticationAlgorithms = algos.Item1,
                EncryptionAlgorithms = algos.Item2,
                CompressionAlgorithms = algos.Item3,
            }));

    public static readonly Gen<XfrmPolicy> Policy =
        Gen.Select(Selector, Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte), Gen.UInt, Gen.UInt, Lifetime, Current,
            Template.Array[0, 6], Gen.Select(Mark, Gen.UInt.Nullable(), Gen.OneOfConst(XfrmPolicyType.Main, XfrmPolicyType.Sub)),
            (selector, bytes, priority, index, lifetime, current, templates, extra) => new XfrmPolicy
            {
                Selector = selector,
                Direction = (XfrmPolicyDirection)bytes.Item1,
                Action = (XfrmPolicyAction)bytes.Item2,
                Flags = (XfrmPolicyFlags)bytes.Item3,
                Share = bytes.Item4,
                Priority = priority,
                Index = index,
                Lifetime = lifetime,
                Current = current,
                Templates = templates,
                Mark = extra.Item1,
                InterfaceId = extra.Item2,
                Type = extra.Item3,
            });

    public static readonly Gen<string> AlgorithmName = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789()-"].Array[1, 63].Select(c => new string(c));

    public static readonly Gen<XfrmKey> Key = Gen.Byte.Array[0, 64].SelectMany(bytes =>
        Gen.Int[Math.Max(0, (bytes.Length * 8) - 7), bytes.Length * 8].Select(bits => new XfrmKey(bytes, bits)));

    public static readonly Gen<XfrmReplayStateEsn> ReplayEsn =
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt.Array[0, 128], (a, b, c, d, w, bitmap) => new XfrmReplayStateEsn
        {
            OutboundSequence = a,
            InboundSequence = b,
            OutboundSequenceHigh = c,
            InboundSequenceHigh = d,
            ReplayWindow = w,
            Bitmap = bitmap,
        });

    private static readonly Gen<(XfrmAeadAlgorithm?, XfrmAlgorithm?, XfrmAuthenticationAlgorithm?, XfrmAlgorithm?)> Algorithms =
        Gen.Select(
            Gen.Select(AlgorithmName, Key, Gen.UInt, (n, k, icv) => new XfrmAeadAlgorithm(n, k, icv)).Null(),
            Gen.Select(AlgorithmName, Key, (n, k) => new XfrmAlgorithm(n, k)).Null(),
            Gen.Select(AlgorithmName, Key, Gen.UInt.Nullable(), (n, k, t) => new XfrmAuthenticationAlgorithm(n, k, t)).Null(),
            Gen.Select(AlgorithmName, Key, (n, k) => new XfrmAlgorithm(n, k)).Null());

    public static readonly Gen<XfrmState> State = Family.SelectMany(family =>
        Gen.Select(
            Gen.Select(Selector, Address(family), Address(family), Gen.UInt, Gen.Byte, Gen.Byte, Gen.UInt),
            Gen.Select(Gen.Byte, Gen.Byte, Gen.UInt, Lifetime, Current, Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt)),
            Algorithms,
            Gen.Select(Gen.Select(Gen.UShort, Gen.UShort, Gen.UShort, Address(family),
                (t, s, d, oa) => new XfrmEncapsulation((XfrmEncapsulationType)t, s, d, oa)).Null(), Mark, Gen.UInt.Nullable(), Gen.UInt.Nullable()),
            Gen.Select(Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, (o, i, b) => new XfrmReplayState(o, i, b)).Null(), ReplayEsn.Null(),
                Gen.UInt.Nullable(), Gen.UInt.Nullable(), Gen.UInt.Nullable(), Gen.Byte.Nullable()),
            (id, props, algorithms, extra, more) => new XfrmState
            {
                Selector = id.Item1,
                Destination = id.Item2,
                Source = id.Item3,
                Spi = id.Item4,
                Protocol = (XfrmProtocol)id.Item5,
                Mode = (XfrmMode)id.Item6,
                RequestId = id.Item7,
                ReplayWindow = props.Item1,
                Flags = (XfrmStateFlags)props.Item2,
                Sequence = props.Item3,
                Lifetime = props.Item4,
                Current = props.Item5,
                Statistics = new XfrmStatistics(props.Item6.Item1, props.Item6.Item2, props.Item6.Item3),
                Aead = algorithms.Item1,
                Encryption = algorithms.Item2,
                Authentication = algorithms.Item3,
                Compression = algorithms.Item4,
                Encapsulation = extra.Item1,
                Mark = extra.Item2,
                InterfaceId = extra.Item3,
                ExtraFlags = extra.Item4,
                Replay = more.Item1,
                ReplayEsn = more.Item2,
                OutputMark = more.Item3,
                OutputMarkMask = more.Item4,
                TfcPadding = more.Item5,
                Direction = (XfrmSaDirection?)more.Item6,
            }));
}
