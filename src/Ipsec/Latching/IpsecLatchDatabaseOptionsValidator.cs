using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>Checks <see cref="IpsecLatchDatabaseOptions"/>: every problem is reported, naming the setting, its value and what is allowed.</summary>
public sealed class IpsecLatchDatabaseOptionsValidator : IValidateOptions<IpsecLatchDatabaseOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, IpsecLatchDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PeerVerificationAttempts is < 1 or > IpsecLatchDatabaseOptions.MaxPeerVerificationAttempts)
        {
            failures.Add($"{nameof(IpsecLatchDatabaseOptions)}.{nameof(IpsecLatchDatabaseOptions.PeerVerificationAttempts)} must be 1 to " +
                $"{IpsecLatchDatabaseOptions.MaxPeerVerificationAttempts} (is {options.PeerVerificationAttempts}).");
        }

        if (options.PeerVerificationRetryDelay < TimeSpan.Zero || options.PeerVerificationRetryDelay > IpsecLatchDatabaseOptions.MaxPeerVerificationRetryDelay)
        {
            failures.Add($"{nameof(IpsecLatchDatabaseOptions)}.{nameof(IpsecLatchDatabaseOptions.PeerVerificationRetryDelay)} must be zero to " +
                $"{IpsecLatchDatabaseOptions.MaxPeerVerificationRetryDelay} (is {options.PeerVerificationRetryDelay}).");
        }

        if (options.RekeyGracePeriod < TimeSpan.Zero || options.RekeyGracePeriod > IpsecLatchDatabaseOptions.MaxRekeyGracePeriod)
        {
            failures.Add($"{nameof(IpsecLatchDatabaseOptions)}.{nameof(IpsecLatchDatabaseOptions.RekeyGracePeriod)} must be zero to " +
                $"{IpsecLatchDatabaseOptions.MaxRekeyGracePeriod} (is {options.RekeyGracePeriod}): a longer hold would hide a real loss of the SAs.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
