using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel;

/// <summary>Checks <see cref="IpsecChannelsOptions"/> at start-up and reports every problem at once.</summary>
public sealed class IpsecChannelsOptionsValidator : IValidateOptions<IpsecChannelsOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, IpsecChannelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.StartupTimeout <= TimeSpan.Zero || options.StartupTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"IpsecChannels:StartupTimeout must be between 0 and 10 minutes (is {options.StartupTimeout}).");
        }

        if (options.NetworkNamespace is { } ns && (ns.Length == 0 || ns.Contains('/', StringComparison.Ordinal) || ns is "." or ".."))
        {
            failures.Add($"IpsecChannels:NetworkNamespace '{ns}' is not an ip netns name (no '/', not empty); use null for the process's own.");
        }

        foreach (var method in options.TrustedAuthenticationMethods)
        {
            if (method is IpsecAuthenticationMethod.Null or IpsecAuthenticationMethod.Btns or IpsecAuthenticationMethod.None)
            {
                failures.Add($"IpsecChannels:TrustedAuthenticationMethods cannot hold {method}: an unauthenticated peer is verified only by a channel binding.");
            }
            else if (!Enum.IsDefined(method))
            {
                failures.Add($"IpsecChannels:TrustedAuthenticationMethods holds an unknown method {(int)method}.");
            }
        }

        foreach (var pattern in options.TrustedPeerIds)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                failures.Add("IpsecChannels:TrustedPeerIds holds an empty pattern; remove it (an empty list accepts any identity).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
