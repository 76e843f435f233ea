using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>Checks <see cref="IpsecChannelResolverOptions"/>: every problem is reported, naming the setting, its value and what is allowed.</summary>
public sealed class IpsecChannelResolverOptionsValidator : IValidateOptions<IpsecChannelResolverOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, IpsecChannelResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PeerLookupTimeout <= TimeSpan.Zero || options.PeerLookupTimeout > IpsecChannelResolverOptions.MaxPeerLookupTimeout)
        {
            return ValidateOptionsResult.Fail(
                $"{nameof(IpsecChannelResolverOptions)}.{nameof(IpsecChannelResolverOptions.PeerLookupTimeout)} must be positive and at most " +
                $"{IpsecChannelResolverOptions.MaxPeerLookupTimeout} (is {options.PeerLookupTimeout}).");
        }

        return ValidateOptionsResult.Success;
    }
}
