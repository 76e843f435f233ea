using CbbServer.Configuration;
using CbbServer.Endpoints;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CbbServer.Hosting;

/// <summary>Builds and runs the app: settings, Kestrel endpoints, authentication, the two routes.</summary>
public static class ServerApp
{
    /// <summary>Runs until Ctrl-C or SIGTERM; 0 on a clean stop, 1 when start-up fails, 2 for a usage error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"CbbServer: {e.Message}\n{CommandLine.Usage}");
            return 2;
        }

        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException)
        {
            // Start-up checks (kernel access, options, a port in use) say what is wrong; no stack trace for those.
            await Console.Error.WriteLineAsync($"CbbServer: cannot start: {e.Message}");
            await app.DisposeAsync();
            return 1;
        }

        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
        {
            Console.WriteLine($"listening on {address}");
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>The app, configured from appsettings.json and then the command line (which wins).</summary>
    /// <exception cref="UsageException">Bad arguments or settings.</exception>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(CommandLine.Parse(args));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        // Read and checked before the endpoints are made from it; registered too, for anything that takes IOptions.
        var options = builder.Configuration.GetSection(CbbServerOptions.Section).Get<CbbServerOptions>() ?? new CbbServerOptions();
        var validation = new CbbServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new UsageException(string.Join("; ", validation.Failures));
        }

        builder.Services.AddSingleton<IValidateOptions<CbbServerOptions>, CbbServerOptionsValidator>();
        builder.Services.AddOptions<CbbServerOptions>().Bind(builder.Configuration.GetSection(CbbServerOptions.Section)).ValidateOnStart();

        ServerServices.Add(builder.Services, builder.Configuration, options);
        builder.WebHost.ConfigureKestrel(kestrel => ServerEndpoints.Configure(kestrel, options));

        var app = builder.Build();
        if (options.KnownProxies.Count > 0)
        {
            // First: identity headers count only from a listed proxy over a verified channel; everyone else's are removed.
            app.UseForwardedIpsecIdentity(o => options.KnownProxies.ForEach(o.KnownProxies.Add));
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseChannelBinding(); // first contact over TLS: binds the principal the request authenticated as
        app.MapGet("/whoami", (HttpContext context) => Results.Json(WhoAmI.Describe(context)));
        app.MapGet("/secret", Secret.Handle);
        return app;
    }
}
