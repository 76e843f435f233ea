using System.Text.Json;
using CbbToolkit.Kestrel.Binding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CbbToolkit.Kestrel.Tests.TestSupport;

/// <summary>GET /whoami (anyone) and GET /secret (authenticated), answering who the request authenticated as.</summary>
public static class WhoAmI
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/whoami", (HttpContext c) => Results.Json(Describe(c)));
        app.MapGet("/secret", (HttpContext c) => Results.Json(Describe(c))).RequireAuthorization();
    }

    public static object Describe(HttpContext c) => new
    {
        authenticated = c.User.Identity?.IsAuthenticated ?? false,
        scheme = c.User.Identity?.AuthenticationType,
        name = c.User.Identity?.Name,
        claims = c.User.Claims.GroupBy(x => x.Type).ToDictionary(g => g.Key, g => g.First().Value),
        clientCertificate = c.Features.Get<ITlsConnectionFeature>()?.ClientCertificate?.Subject,
        binding = c.Features.Get<IChannelBindingFeature>()?.State.ToString(),
    };

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
