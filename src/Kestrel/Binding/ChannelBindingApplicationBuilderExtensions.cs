using CbbToolkit.Kestrel.Binding;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The binding exchange's first-contact end in the request pipeline.</summary>
public static class ChannelBindingApplicationBuilderExtensions
{
    /// <summary>
    /// Answers <c>CBB-Bind</c> on authenticated HTTPS requests (docs/binding-protocol.md 9.2). Place it after
    /// <c>UseAuthentication</c> and <c>UseAuthorization</c>, so that the binding is made for the principal the request
    /// authenticated as. Needs <c>AddChannelBindingServer</c> (or <c>AddChannelBinding</c>).
    /// </summary>
    public static IApplicationBuilder UseChannelBinding(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<ChannelBindingMiddleware>();
    }
}
