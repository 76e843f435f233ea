using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>Checks <see cref="InMemoryChannelBindingStoreOptions"/>.</summary>
public sealed class InMemoryChannelBindingStoreOptionsValidator : IValidateOptions<InMemoryChannelBindingStoreOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, InMemoryChannelBindingStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxBindings < 1)
        {
            failures.Add($"MaxBindings must be at least 1 (is {options.MaxBindings}).");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            failures.Add($"MaxLifetime must be positive (is {options.MaxLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
