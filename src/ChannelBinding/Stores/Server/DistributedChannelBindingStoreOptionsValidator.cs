using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>Checks <see cref="DistributedChannelBindingStoreOptions"/>.</summary>
public sealed class DistributedChannelBindingStoreOptionsValidator : IValidateOptions<DistributedChannelBindingStoreOptions>
{
    /// <summary>The longest key prefix accepted.</summary>
    public const int MaxKeyPrefixLength = 128;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DistributedChannelBindingStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.KeyPrefix is null || options.KeyPrefix.Length > MaxKeyPrefixLength || options.KeyPrefix.Any(char.IsControl))
        {
            failures.Add($"KeyPrefix must be at most {MaxKeyPrefixLength} characters without control characters.");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            failures.Add($"MaxLifetime must be positive (is {options.MaxLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
