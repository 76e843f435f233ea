namespace CbbToolkit.NativeApi;

/// <summary>Which of the draft's opaque types a pointer stands for (the low bits of the pointer).</summary>
internal enum HandleKind
{
    /// <summary>Not a handle.</summary>
    None = 0,

    /// <summary><c>ipsec_policy_t *</c>.</summary>
    Policy = 1,

    /// <summary><c>ipsec_channel_info_t *</c>.</summary>
    ChannelInfo = 2,
}
