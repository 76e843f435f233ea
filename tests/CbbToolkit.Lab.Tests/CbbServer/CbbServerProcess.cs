using System.Text.RegularExpressions;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>The built samples/CbbServer, run with the dotnet host inside a network namespace as a child process.</summary>
internal static partial class CbbServerProcess
{
    /// <summary>samples/CbbServer's output for the configuration the tests were built in.</summary>
    public static string Dll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                var built = Path.Combine(dir.FullName, "samples", "CbbServer", "bin", configuration, "net10.0", "CbbServer.dll");
                return File.Exists(built) ? built : throw new FileNotFoundException($"{built} is missing: build samples/CbbServer ({configuration}) first.");
            }
        }

        throw new FileNotFoundException($"no CbbToolkit.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// Starts <c>ip netns exec NS env [NAME=VALUE...] dotnet CbbServer.dll ARGS</c> and waits until it prints a "listening on" line for every
    /// endpoint it was given.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(string ns, IReadOnlyList<string> arguments, int endpoints, IReadOnlyList<string>? environment = null)
    {
        var server = ChildProcess.Start("ip", ["netns", "exec", ns, "env", .. environment ?? [], DotnetHost.Path, Dll(), .. arguments]);
        try
        {
            await server.WaitForAsync(new Regex($"(?s)(?:listening on \\S+.*?){{{endpoints}}}"), TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the server's log line that the connection from <paramref name="clientPort"/> closed; returns it.</summary>
    public static async Task<string> WaitForClosedAsync(ChildProcess server, int clientPort, TimeSpan limit) =>
        (await server.WaitForAsync(new Regex($@"connection \w+ \S+ from [^ ]+:{clientPort} closed: [^\n]*"), limit)).Value;

    /// <summary>Whether the server logged that the connection from <paramref name="clientPort"/> closed.</summary>
    public static bool HasClosed(ChildProcess server, int clientPort) =>
        Regex.IsMatch(server.Combined, $@"connection \w+ \S+ from [^ ]+:{clientPort} closed");
}
