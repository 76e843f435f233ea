using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CbbToolkit.Channels.Tests.Stores.Server;

/// <summary>
/// Data Protection as a farm configures it: a key ring in a shared directory and one application name. Two providers
/// made over the same directory are two servers sharing keys; another directory is another farm.
/// </summary>
internal static class FarmDataProtection
{
    public static IDataProtectionProvider Create(string keyDirectory, string applicationName = "cbb-farm")
    {
        var services = new ServiceCollection();
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(keyDirectory))
            .SetApplicationName(applicationName);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }
}
