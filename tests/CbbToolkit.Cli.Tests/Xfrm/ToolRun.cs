using System.Diagnostics;
using Xunit;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>Runs a reference tool (ip, swanctl, the lab scripts) to completion with a deadline.</summary>
internal static class ToolRun
{
    /// <summary>Runs the tool; returns exit code and both outputs. Killed (with its children) when it overruns.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Try(string file, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutMs = 60_000)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} ran longer than {timeoutMs} ms");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs the tool and returns its stdout; a non-zero exit fails the test with stderr.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var (code, stdout, stderr) = Try(file, arguments);
        Assert.True(code == 0, $"{file} {string.Join(' ', arguments)} exited {code}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>Whether a program is on PATH (or exists, for a path).</summary>
    public static bool Exists(string file) =>
        file.Contains('/', StringComparison.Ordinal)
            ? File.Exists(file)
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(d => File.Exists(Path.Combine(d, file)));
}
