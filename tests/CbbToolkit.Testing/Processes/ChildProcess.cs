using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace CbbToolkit.Testing.Processes;

/// <summary>
/// A process a test starts (cbb, openssl): its output collected line by line, every wait bounded by a timeout,
/// and the process (with its children) killed on Dispose.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Channel<string> _stdoutLines = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderrLines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _combined = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static readonly Dictionary<string, string> s_environment = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };

    private ChildProcess(Process process) => _process = process;

    public string Description { get; private init; } = "";

    public int Id => _process.Id;

    /// <summary>Everything written to stdout so far.</summary>
    public string Stdout
    {
        get { lock (_stdout) { return _stdout.ToString(); } }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    /// <summary>Everything written to stdout and stderr so far, line by line in the order the lines arrived.</summary>
    public string Combined
    {
        get { lock (_combined) { return _combined.ToString(); } }
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a process; stdin stays open (and empty) when <paramref name="keepStdinOpen"/>, else it is closed at once.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, bool keepStdinOpen = false)
    {
        var info = Redirected.StartInfo(fileName, arguments, s_environment);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process) { Description = $"{Path.GetFileName(fileName)} {string.Join(' ', info.ArgumentList)}" };
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, child._stdout, child._stdoutLines, child._stdoutClosed);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, child._stderr, child._stderrLines, child._stderrClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!keepStdinOpen)
        {
            process.StandardInput.Close();
        }

        return child;
    }

    /// <summary>Waits for a stdout line that matches; fails with the output so far when it does not come in time.</summary>
    public Task<string> WaitForStdoutAsync(Func<string, bool> match, TimeSpan? timeout = null) =>
        WaitForLineAsync(_stdoutLines, match, timeout ?? DefaultTimeout, "stdout");

    /// <summary>Waits for a stderr line that matches.</summary>
    public Task<string> WaitForStderrAsync(Func<string, bool> match, TimeSpan? timeout = null) =>
        WaitForLineAsync(_stderrLines, match, timeout ?? DefaultTimeout, "stderr");

    /// <summary>
    /// Waits until <see cref="Combined"/> matches <paramref name="pattern"/> (a match may span lines); fails with the
    /// output when the process exits first or time runs out.
    /// </summary>
    public async Task<Match> WaitForAsync(Regex pattern, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        while (true)
        {
            if (pattern.Match(Combined) is { Success: true } match)
            {
                return match;
            }

            if (_process.HasExited && _stdoutClosed.Task.IsCompleted && _stderrClosed.Task.IsCompleted)
            {
                return pattern.Match(Combined) is { Success: true } last
                    ? last
                    : throw new InvalidOperationException($"'{Description}' exited ({_process.ExitCode}) before printing {pattern}.\n{Output()}");
            }

            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{Description}' did not print {pattern} within {limit.TotalSeconds} s.\n{Output()}");
            }
        }
    }

    /// <summary>Waits for the process to exit and its output to be read in full; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{Description}' did not exit within {(timeout ?? DefaultTimeout).TotalSeconds} s.\n{Output()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (e.g. SIGTERM = 15) to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The output so far, for failure messages.</summary>
    public string Output() => $"--- {Description}\n--- stdout:\n{Stdout}--- stderr:\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.Dispose();
    }

    private async Task<string> WaitForLineAsync(Channel<string> lines, Func<string, bool> match, TimeSpan timeout, string stream)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{Description}': the expected {stream} line did not come within {timeout.TotalSeconds} s.\n{Output()}");
        }

        throw new InvalidOperationException($"'{Description}' closed its {stream} without the expected line.\n{Output()}");
    }

    private void OnLine(string? line, StringBuilder all, Channel<string> lines, TaskCompletionSource closed)
    {
        if (line is null)
        {
            lines.Writer.TryComplete();
            closed.TrySetResult();
            return;
        }

        lock (all)
        {
            all.Append(line).Append('\n');
        }

        lock (_combined)
        {
            _combined.Append(line).Append('\n');
        }

        lines.Writer.TryWrite(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
