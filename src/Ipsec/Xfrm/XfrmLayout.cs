namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// Sizes and field offsets of the xfrm.h structures as the kernel lays them out on 64-bit Linux (u64 members align
/// the structures that hold lifetimes to 8 octets). Multi-octet fields are host order except ports and SPIs (network order).
/// </summary>
internal static class XfrmLayout
{
    public const int AddressSize = 16;

    // struct xfrm_selector
    public const int SelectorSize = 56;
    public const int SelDaddr = 0, SelSaddr = 16, SelDport = 32, SelDportMask = 34, SelSport = 36, SelSportMask = 38;
    public const int SelFamily = 40, SelPrefixD = 42, SelPrefixS = 43, SelProto = 44, SelIfindex = 48, SelUser = 52;

    // struct xfrm_id
    public const int IdSize = 24;
    public const int IdDaddr = 0, IdSpi = 16, IdProto = 20;

    public const int LifetimeConfigSize = 64;
    public const int LifetimeCurrentSize = 32;
    public const int StatsSize = 12;

    // struct xfrm_usersa_info
    public const int SaInfoSize = 224;
    public const int SaSel = 0, SaId = 56, SaSaddr = 80, SaLft = 96, SaCurLft = 160, SaStats = 192;
    public const int SaSeq = 204, SaReqid = 208, SaFamily = 212, SaMode = 214, SaReplayWindow = 215, SaFlags = 216;

    // struct xfrm_usersa_id
    public const int SaIdSize = 24;
    public const int SaIdDaddr = 0, SaIdSpi = 16, SaIdFamily = 20, SaIdProto = 22;

    // struct xfrm_userpolicy_info
    public const int PolicyInfoSize = 168;
    public const int PolSel = 0, PolLft = 56, PolCurLft = 120, PolPriority = 152, PolIndex = 156;
    public const int PolDir = 160, PolAction = 161, PolFlags = 162, PolShare = 163;

    // struct xfrm_userpolicy_id
    public const int PolicyIdSize = 64;
    public const int PolIdSel = 0, PolIdIndex = 56, PolIdDir = 60;

    // struct xfrm_user_tmpl
    public const int TemplateSize = 64;
    public const int TmplId = 0, TmplFamily = 24, TmplSaddr = 28, TmplReqid = 44, TmplMode = 48, TmplShare = 49;
    public const int TmplOptional = 50, TmplAalgos = 52, TmplEalgos = 56, TmplCalgos = 60;

    // struct xfrm_user_acquire
    public const int AcquireSize = 280;
    public const int AcqId = 0, AcqSaddr = 24, AcqSel = 40, AcqPolicy = 96, AcqSeq = 276;

    // struct xfrm_user_expire / xfrm_user_polexpire
    public const int ExpireSize = 232, ExpireHard = 224;
    public const int PolicyExpireSize = 176, PolicyExpireHard = 168;

    // struct xfrm_userspi_info
    public const int SpiInfoSize = 232, SpiMin = 224, SpiMax = 228;

    // struct xfrm_usersa_flush
    public const int FlushSize = 1;

    // struct xfrm_algo, xfrm_algo_auth, xfrm_algo_aead
    public const int AlgNameSize = 64;
    public const int AlgKeyLen = 64, AlgKey = 68;
    public const int AlgAuthTruncLen = 68, AlgAuthKey = 72;
    public const int AlgAeadIcvLen = 68, AlgAeadKey = 72;

    // struct xfrm_encap_tmpl
    public const int EncapSize = 24;
    public const int EncapType = 0, EncapSport = 2, EncapDport = 4, EncapOa = 8;

    public const int MarkSize = 8;
    public const int PolicyTypeSize = 6;
    public const int ReplaySize = 12;
    public const int ReplayEsnHeaderSize = 24;
    public const int ReplayEsnMaxBitmapWords = 4096 / 32;
}
