using System.Diagnostics;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>Runs a set-up tool (ip, ...) with a timeout; a failure or a hang becomes an exception with the tool's stderr.</summary>
internal static class Tool
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>CBB_LAB_TRACE=1 prints each tool run and its duration to stderr (where a slow lab spends its time).</summary>
    public static bool Trace { get; } = Environment.GetEnvironmentVariable("CBB_LAB_TRACE") == "1";

    /// <summary>Runs <paramref name="file"/> and returns its stdout; throws unless it exits 0.</summary>
    /// <param name="stdin">Fed to the tool's stdin: keeps key material off command lines and out of failure messages.</param>
    public static string Run(string file, IEnumerable<string> args, string? stdin = null)
    {
        var (code, stdout, stderr) = TryRun(file, args, stdin);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {stderr.Trim()}");
        }

        return stdout;
    }

    /// <summary>Runs <paramref name="file"/> and returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryRun(string file, IEnumerable<string> args, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {Limit.TotalSeconds} s");
        }

        if (Trace)
        {
            Console.Error.WriteLine($"lab-trace: {Stopwatch.GetElapsedTime(started).TotalMilliseconds,6:F0} ms {file} {string.Join(' ', args)}");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
