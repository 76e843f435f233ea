namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>What <see cref="IpsecChannelInfoConverter.FromChannelAsync"/> produced: the channel information and, for each
/// IPsec binding the policy asked for, its outcome (value or typed reason).</summary>
/// <param name="Info">The channel information; binding values that could be computed are in it.</param>
/// <param name="EndPoint">ipsec-end-point-sha256's outcome, or null when the policy did not ask for it.</param>
/// <param name="SaBinding">ipsec-sa-binding's outcome, or null when the policy did not ask for it.</param>
public sealed record IpsecChannelConversion(ChannelInfo Info, IpsecBindingResult? EndPoint, IpsecBindingResult? SaBinding);
