using System.Text.RegularExpressions;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>The built samples/CbbServer (or another sample), run with the dotnet host inside a network namespace as a child process.</summary>
internal static partial class CbbServerProcess
{
    /// <summary>samples/SAMPLE's output for the configuration the tests were built in.</summary>
    public static string Dll(string sample = "CbbServer")
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                var built = Path.Combine(dir.FullName, "samples", sample, "bin", configuration, "net10.0", sample + ".dll");
                return File.Exists(built) ? built : throw new FileNotFoundException($"{built} is missing: build samples/{sample} ({configuration}) first.");
            }
        }

        throw new FileNotFoundException($"no CbbToolkit.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// Starts <c>ip netns exec NS env [NAME=VALUE...] dotnet CbbServer.dll ARGS</c> and waits until it prints a "listening on" line for every
    /// endpoint it was given.
    /// </summary>
    public static Task<ChildProcess> StartAsync(string ns, IReadOnlyList<string> arguments, int endpoints, IReadOnlyList<string>? environment = null) =>
        StartAsync("CbbServer", "listening on", ns, arguments, endpoints, environment);

    /// <summary>As the CbbServer overload, for samples/<paramref name="sample"/>, whose start-up line per endpoint is <paramref name="listening"/> URL.</summary>
    public static async Task<ChildProcess> StartAsync(string sample, string listening, string ns, IReadOnlyList<string> arguments, int endpoints,
        IReadOnlyList<string>? environment = null)
    {
        var server = ChildProcess.Start("ip", ["netns", "exec", ns, "env", .. environment ?? [], DotnetHost.Path, Dll(sample), .. arguments]);
        try
        {
            await server.WaitForAsync(new Regex($"(?s)(?:{Regex.Escape(listening)} \\S+.*?){{{endpoints}}}"), TimeSpan.FromSeconds(60));
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
