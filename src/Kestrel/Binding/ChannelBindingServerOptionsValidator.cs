using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>Checks <see cref="ChannelBindingServerOptions"/> at start-up.</summary>
internal sealed class ChannelBindingServerOptionsValidator : IValidateOptions<ChannelBindingServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelBindingServerOptions options)
    {
        var errors = new List<string>();
        if (options.PlaintextPort is < 1 or > 65535)
        {
            errors.Add($"ChannelBindingServerOptions.PlaintextPort is {options.PlaintextPort}; use 1 to 65535, or null to advertise no plaintext endpoint.");
        }

        if (options.PlaintextMaxAge < TimeSpan.Zero || options.PlaintextMaxAge.TotalSeconds > int.MaxValue)
        {
            errors.Add($"ChannelBindingServerOptions.PlaintextMaxAge is {options.PlaintextMaxAge}; use 0 to {int.MaxValue} seconds.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
