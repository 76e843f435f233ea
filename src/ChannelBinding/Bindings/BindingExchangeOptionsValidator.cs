using CbbToolkit.Channels.Bindings.Messages;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Bindings;

/// <summary>Checks <see cref="BindingExchangeOptions"/>: every problem is reported, naming the setting, its value and what is allowed.</summary>
public sealed class BindingExchangeOptionsValidator : IValidateOptions<BindingExchangeOptions>
{
    /// <summary>The longest <see cref="BindingExchangeOptions.ChallengeLifetime"/> accepted.</summary>
    public static readonly TimeSpan MaxChallengeLifetime = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, BindingExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BindingLifetime < TimeSpan.FromSeconds(1) || options.BindingLifetime.TotalSeconds > BindingMessage.MaxLifetimeSeconds)
        {
            failures.Add($"{nameof(BindingExchangeOptions)}.{nameof(BindingExchangeOptions.BindingLifetime)} must be 1 second to " +
                $"{BindingMessage.MaxLifetimeSeconds} seconds (about 68 years; is {options.BindingLifetime}).");
        }

        if (options.ChallengeLifetime < TimeSpan.FromSeconds(1) || options.ChallengeLifetime > MaxChallengeLifetime)
        {
            failures.Add($"{nameof(BindingExchangeOptions)}.{nameof(BindingExchangeOptions.ChallengeLifetime)} must be 1 second to " +
                $"{MaxChallengeLifetime} (is {options.ChallengeLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
