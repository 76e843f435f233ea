using System.Diagnostics;
using CbbToolkit.Testing.Capabilities;

namespace CbbToolkit.Testing.Processes;

/// <summary>
/// Runs a program to completion (ip, openssl, swanctl, the lab scripts) with a deadline: a hang becomes a
/// <see cref="TimeoutException"/> and the process tree is killed; <see cref="Run"/> turns a non-zero exit into an
/// exception with the program's stderr. The one process runner of the test suites (long-running ones: <see cref="ChildProcess"/>).
/// </summary>
public static class Tool
{
    /// <summary>How long a run may take unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>CBB_LAB_TRACE=1 prints each run and its duration to stderr (where a slow lab spends its time).</summary>
    public static bool Trace { get; } = Environment.GetEnvironmentVariable("CBB_LAB_TRACE") == "1";

    /// <summary>Runs <paramref name="file"/> and returns its stdout; throws unless it exits 0.</summary>
    /// <param name="stdin">Fed to stdin: keeps key material off command lines and out of failure messages.</param>
    public static string Run(string file, IEnumerable<string> arguments, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var args = arguments.ToList();
        var result = TryRun(file, args, stdin, environment, timeout);
        return result.Succeeded
            ? result.Stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr.Trim()}{result.Stdout}");
    }

    /// <summary>Runs <paramref name="file"/> with the arguments and returns its stdout; throws unless it exits 0.</summary>
    public static string Run(string file, params string[] arguments) => Run(file, (IEnumerable<string>)arguments);

    /// <summary>
    /// <see cref="Run(string, string[])"/> with the arguments as one line, split at blanks (no quoting: for fixed
    /// command lines such as "--list-sas --pretty").
    /// </summary>
    public static string RunLine(string file, string arguments, TimeSpan? timeout = null) =>
        Run(file, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), timeout: timeout);

    /// <summary>Runs <paramref name="file"/> and returns how it ended (a hang still throws).</summary>
    public static ProcessResult TryRun(string file, IEnumerable<string> arguments, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(file, arguments, environment);
        var started = Stopwatch.GetTimestamp();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        WaitOrKill(process, timeout ?? DefaultTimeout);
        if (Trace)
        {
            Console.Error.WriteLine($"lab-trace: {Stopwatch.GetElapsedTime(started).TotalMilliseconds,6:F0} ms {Describe(process)}");
        }

        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs <paramref name="file"/> with binary stdin and stdout (openssl DER, digests); throws unless it exits 0.</summary>
    public static byte[] RunBinary(string file, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Start(file, arguments, environment: null);
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        WaitOrKill(process, timeout ?? DefaultTimeout);
        copy.GetAwaiter().GetResult();
        return process.ExitCode == 0
            ? stdout.ToArray()
            : throw new InvalidOperationException($"{Describe(process)} exited {process.ExitCode}: {stderr.GetAwaiter().GetResult().Trim()}");
    }

    /// <summary>The full path of a program on PATH (or the path itself, when it names an existing file), or null.</summary>
    public static string? Find(string file) =>
        file.Contains('/', StringComparison.Ordinal)
            ? (File.Exists(file) ? file : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, file))
                .FirstOrDefault(File.Exists);

    /// <summary>Whether a program is on PATH (or exists, for a path).</summary>
    public static bool Exists(string file) => Find(file) is not null;

    /// <summary>The program's path; skips the test (<see cref="SkipCategory.NeedsTool"/>) when it is not installed.</summary>
    /// <param name="package">The Debian package that brings it, for the skip message.</param>
    public static string Require(string file, string package) =>
        Find(file) ?? SkipFor(file, package);

    private static string SkipFor(string file, string package)
    {
        Skip.Because(SkipCategory.NeedsTool, $"{file} is not installed (apt-get install {package}).");
        return file;
    }

    private static Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = Redirected.StartInfo(file, arguments, environment);
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    private static void WaitOrKill(Process process, TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
            throw new TimeoutException($"{Describe(process)} did not finish in {timeout.TotalSeconds} s");
        }
    }

    private static string Describe(Process process) =>
        $"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)}";
}
