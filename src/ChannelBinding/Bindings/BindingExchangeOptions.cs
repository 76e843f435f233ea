namespace CbbToolkit.Channels.Bindings;

/// <summary>Options of <see cref="BindingExchange"/> (the .NET options pattern; validated when the exchange is created).</summary>
public sealed class BindingExchangeOptions
{
    /// <summary>Server: how long a new binding lives. Client: the longest lifetime it accepts (a longer one is shortened). Default 1 day.</summary>
    public TimeSpan BindingLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Server: how long a later-connection challenge may stay unanswered. Default 30 seconds.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Server: refuse a first-contact request that carries no binding message (<see cref="BindingFailureReason.BindingRequired"/>)
    /// instead of serving it unbound. A side that could bind must be able to insist: this is that switch. Default false.
    /// </summary>
    public bool RequireBinding { get; set; }

    internal void Validate()
    {
        if (BindingLifetime < TimeSpan.FromSeconds(1) || BindingLifetime.TotalSeconds > Messages.BindingMessage.MaxLifetimeSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(BindingLifetime), BindingLifetime, "A binding lifetime is 1 second to about 68 years.");
        }

        if (ChallengeLifetime < TimeSpan.FromSeconds(1) || ChallengeLifetime > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ChallengeLifetime), ChallengeLifetime, "A challenge lifetime is 1 second to 1 hour.");
        }
    }
}
