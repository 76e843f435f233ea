using System.Diagnostics;

namespace CbbToolkit.Ipsec.Tests.Vici.Lab;

/// <summary>Runs a lab command with a deadline; the process is killed when it overruns.</summary>
internal static class LabProcess
{
    public static string Run(string file, string arguments, int timeoutMs = 30_000, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
            throw new TimeoutException($"{file} {arguments} ran longer than {timeoutMs} ms");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        return stdout.Result;
    }

    public static bool Exists(string file) =>
        file.Contains('/', StringComparison.Ordinal)
            ? File.Exists(file)
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, file)));
}
