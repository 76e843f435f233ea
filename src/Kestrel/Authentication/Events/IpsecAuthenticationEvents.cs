namespace CbbToolkit.Kestrel.Authentication;

/// <summary>
/// The IPsec scheme's events, in the shape of Certificate authentication's: set the delegates, or derive and override
/// the virtual methods.
/// </summary>
public class IpsecAuthenticationEvents
{
    /// <summary>
    /// After the channel was found verified and its peer allowed, with the principal built from it: replace
    /// <c>Principal</c> to map it, call <c>Fail</c> to refuse it, or <c>Success</c>.
    /// </summary>
    public Func<IpsecChannelValidatedContext, Task> OnChannelValidated { get; set; } = context => Task.CompletedTask;

    /// <summary>When authentication threw: set a result to handle it, or leave it and the exception propagates.</summary>
    public Func<IpsecAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = context => Task.CompletedTask;

    /// <summary>Before the challenge (403: an IPsec channel cannot be obtained over HTTP); call <c>HandleResponse</c> to write your own.</summary>
    public Func<IpsecChallengeContext, Task> OnChallenge { get; set; } = context => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnChannelValidated"/>.</summary>
    public virtual Task ChannelValidated(IpsecChannelValidatedContext context) => OnChannelValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(IpsecAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(IpsecChallengeContext context) => OnChallenge(context);
}
