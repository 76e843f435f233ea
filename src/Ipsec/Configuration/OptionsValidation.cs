using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Configuration;

/// <summary>Checks options when the type that uses them is created, so a bad setting fails there, not at first use.</summary>
internal static class OptionsValidation
{
    /// <summary>A copy of <paramref name="options"/> (the defaults when null) once <paramref name="validator"/> accepts it.</summary>
    /// <exception cref="OptionsValidationException">Every failure the validator reports, in one message.</exception>
    public static T Validated<T>(T? options, IValidateOptions<T> validator, Func<T, T> copy)
        where T : class, new()
    {
        var value = copy(options ?? new T());
        var result = validator.Validate(Options.DefaultName, value);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures)
            : value;
    }
}
