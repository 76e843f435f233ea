using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Stores;

/// <summary>Validates options at construction, so a bad setting fails when the store is made, not at first use.</summary>
internal static class OptionsCheck
{
    public static T Validated<T>(IOptions<T>? options, IValidateOptions<T> validator)
        where T : class, new()
    {
        var value = options?.Value ?? new T();
        var result = validator.Validate(Options.DefaultName, value);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : value;
    }
}
