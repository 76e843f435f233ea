using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>The context of <see cref="IpsecAuthenticationEvents.OnAuthenticationFailed"/>.</summary>
public sealed class IpsecAuthenticationFailedContext : ResultContext<IpsecAuthenticationOptions>
{
    /// <summary>A context.</summary>
    public IpsecAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, IpsecAuthenticationOptions options, Exception exception)
        : base(context, scheme, options) => Exception = exception ?? throw new ArgumentNullException(nameof(exception));

    /// <summary>What went wrong.</summary>
    public Exception Exception { get; }
}
