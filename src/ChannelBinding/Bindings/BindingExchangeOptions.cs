namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// Options of <see cref="BindingExchange"/> (the .NET options pattern: bind it from configuration or set it in code;
/// checked by <see cref="BindingExchangeOptionsValidator"/> when the exchange is created).
/// </summary>
public sealed class BindingExchangeOptions
{
    /// <summary>Server: how long a new binding lives. Client: the longest lifetime it accepts (a longer one is shortened). Default 1 day; 1 second to <see cref="Messages.BindingMessage.MaxLifetimeSeconds"/> seconds (about 68 years).</summary>
    public TimeSpan BindingLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Server: how long a later-connection challenge may stay unanswered. Default 30 seconds; 1 second to 1 hour.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Server: refuse a first-contact request that carries no binding message (<see cref="BindingFailureReason.BindingRequired"/>)
    /// instead of serving it unbound. A side that could bind must be able to insist: this is that switch. Default false.
    /// </summary>
    public bool RequireBinding { get; set; }
}
