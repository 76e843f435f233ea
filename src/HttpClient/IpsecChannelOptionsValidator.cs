using Microsoft.Extensions.Options;

namespace CbbToolkit.Http;

/// <summary>Checks <see cref="IpsecChannelOptions"/> when they are first used.</summary>
public sealed class IpsecChannelOptionsValidator : IValidateOptions<IpsecChannelOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, IpsecChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static List<string> Problems(IpsecChannelOptions options)
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(options.Requirement))
        {
            problems.Add($"Requirement {(int)options.Requirement} is not one of AllowClear, RequireProtected, RequireVerified.");
        }

        if (options.KeyManagementTimeout < TimeSpan.Zero)
        {
            problems.Add($"KeyManagementTimeout {options.KeyManagementTimeout} is negative.");
        }

        if (options.Tls is null)
        {
            problems.Add("Tls is null; leave the default (system validation) or set SslClientAuthenticationOptions.");
        }

        if (options.TimeProvider is null)
        {
            problems.Add("TimeProvider is null.");
        }

        if (options.Requirement == IpsecChannelRequirement.RequireVerified && options.PeerSource is null)
        {
            problems.Add("RequireVerified needs a PeerSource (e.g. ViciPeerSource): without key management no channel is ever verified.");
        }

        if (options.AllowLeapOfFaith && options.Pins is null)
        {
            problems.Add("AllowLeapOfFaith needs Pins: a leap of faith is only worth something when the pin is kept.");
        }

        if (options.UseBinding && (options.Pins is null || options.Latches is null))
        {
            problems.Add("UseBinding needs Pins (the client keeps its bindings with the pins) and Latches (a binding is made and proven only over a latched channel).");
        }

        return problems;
    }
}
