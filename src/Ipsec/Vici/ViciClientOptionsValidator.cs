using CbbToolkit.Ipsec.Vici.Transport;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>Checks <see cref="ViciClientOptions"/>: every problem is reported, each naming the setting, its value and what is allowed.</summary>
public sealed class ViciClientOptionsValidator : IValidateOptions<ViciClientOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ViciClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!ViciEndpoint.TryParse(options.SocketPath, out _, out var problem))
        {
            failures.Add($"{nameof(ViciClientOptions)}.{nameof(ViciClientOptions.SocketPath)}: {problem}");
        }

        CheckDuration(failures, nameof(ViciClientOptions.ConnectTimeout), options.ConnectTimeout);
        CheckDuration(failures, nameof(ViciClientOptions.CommandTimeout), options.CommandTimeout);
        CheckDuration(failures, nameof(ViciClientOptions.ReconnectDelay), options.ReconnectDelay);
        CheckDuration(failures, nameof(ViciClientOptions.MaxReconnectDelay), options.MaxReconnectDelay);
        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{nameof(ViciClientOptions)}.{nameof(ViciClientOptions.MaxReconnectDelay)} ({options.MaxReconnectDelay}) must not be " +
                $"shorter than {nameof(ViciClientOptions.ReconnectDelay)} ({options.ReconnectDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDuration(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > ViciClientOptions.MaxTimeout)
        {
            failures.Add($"{nameof(ViciClientOptions)}.{setting} must be positive and at most {ViciClientOptions.MaxTimeout} (is {value}).");
        }
    }
}
