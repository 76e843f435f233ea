using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>
/// A long-running openssl s_server or s_client. Its output is collected; stdin stays open (so it does not quit);
/// Dispose kills it.
/// </summary>
internal sealed class OpenSslProcess : IDisposable
{
    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OpenSslProcess(Process process) => _process = process;

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static OpenSslProcess Start(params string[] arguments)
    {
        OpenSslCli.SkipUnlessAvailable();
        var info = OpenSslCli.StartInfo(arguments);
        info.RedirectStandardInput = true;
        var process = new Process { StartInfo = info };
        var result = new OpenSslProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits until the output matches; fails with the output when the process exits first or time runs out.</summary>
    public async Task<Match> WaitForAsync(Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? s_defaultTimeout);
        while (true)
        {
            var match = pattern.Match(Output);
            if (match.Success)
            {
                return match;
            }

            if (_process.HasExited)
            {
                await Task.Delay(100); // let the last lines arrive
                match = pattern.Match(Output);
                return match.Success ? match : throw new InvalidOperationException($"openssl exited ({_process.ExitCode}) before printing {pattern}:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"openssl did not print {pattern} in time:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The hex after "Keying material:" as bytes.</summary>
    public async Task<byte[]> KeyingMaterialAsync() =>
        Convert.FromHexString((await WaitForAsync(KeyingMaterialPattern())).Groups[1].Value);

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
            // already gone
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static Regex KeyingMaterialPattern() => new(@"Keying material: ([0-9A-Fa-f]+)\s*$", RegexOptions.Multiline);
}
