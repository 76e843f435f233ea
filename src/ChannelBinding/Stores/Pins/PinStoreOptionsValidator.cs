using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>Checks <see cref="PinStoreOptions"/>.</summary>
public sealed class PinStoreOptionsValidator : IValidateOptions<PinStoreOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, PinStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Path is { } path && (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal) || path.EndsWith('/')))
        {
            failures.Add("Path must name a file (not empty, no NUL, not ending in '/').");
        }

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"BusyTimeout must be 0 to 10 minutes (is {options.BusyTimeout}).");
        }

        if (options.RefreshInterval < TimeSpan.Zero || options.RefreshInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"RefreshInterval must be 0 to 10 minutes (is {options.RefreshInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
