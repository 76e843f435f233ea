using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Commands;
using CbbToolkit.Cli.Tests.Infrastructure;
using Xunit;

namespace CbbToolkit.Cli.Tests.CommandLine;

public sealed class CommandDispatcherTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new CommandDispatcher(CommandTree.Create()).RunAsync(args, new CommandContext(output, error, CancellationToken.None));
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task RootHelp_ListsGroupsExit0(string flag)
    {
        var (code, output, error) = await RunAsync(flag);
        Assert.Equal(0, code);
        Assert.Contains("tls", output, StringComparison.Ordinal);
        Assert.Contains("--version", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("tls", "inspect", "--help")]
    [InlineData("help", "tls", "inspect")]
    [InlineData("tls", "inspect", "127.0.0.1:1", "-h")]
    public async Task CommandHelp_ShowsUsageAndOptionsExit0(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);
        Assert.Equal(0, code);
        Assert.Contains("Usage:\n  cbb tls inspect <HOST:PORT> [options]", output, StringComparison.Ordinal);
        Assert.Contains("--sni <NAME>", output, StringComparison.Ordinal);
        Assert.Contains("--tls12", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 printed", output, StringComparison.Ordinal); // cbb's details follow the library's help
    }

    [Theory]
    [InlineData("Required command was not provided.")]
    [InlineData("Unrecognized command or argument 'frobnicate'.", "frobnicate")]
    [InlineData("Unrecognized command or argument '--bogus'.", "--bogus")]
    [InlineData("Required command was not provided.", "tls")]
    [InlineData("Unrecognized command or argument 'connect'.", "tls", "connect")]
    [InlineData("Required argument 'HOST:PORT' missing", "tls", "inspect")]
    [InlineData("Unrecognized option '--jsn'. Did you mean '--json'?", "tls", "inspect", "--jsn", "h:1")]
    [InlineData("'--jsn' was not matched. Did you mean one of the following?\n--json", "tls", "inspect", "h:1", "--jsn")]
    [InlineData("HOST:PORT: 'h' has no port", "tls", "inspect", "h")]
    [InlineData("Required argument missing for option: '--sni'.", "tls", "inspect", "h:1", "--sni")]
    [InlineData("Required argument missing for option: '--sni'.", "tls", "inspect", "h:1", "--sni=")]
    [InlineData("--sni needs a non-empty value", "tls", "inspect", "h:1", "--sni", "")]
    [InlineData("Unrecognized command or argument '1'.", "tls", "inspect", "h:1", "--json=1")]
    [InlineData("Option '--sni' expects a single argument but 2 were provided.", "tls", "inspect", "h:1", "--sni", "a", "--sni", "b")]
    [InlineData("Unrecognized command or argument 'u'.", "tls", "inspect", "h:1", "u")]
    [InlineData("--tls12 and --tls13 cannot be used together", "tls", "inspect", "h:1", "--tls12", "--tls13")]
    [InlineData("--timeout takes a whole number from 1 to 3600, not '0'", "tls", "inspect", "h:1", "--timeout", "0")]
    [InlineData("Option '--listen' is required.", "tls", "serve", "--cert", "c", "--key", "k")]
    [InlineData("--listen takes an IP address and a port", "tls", "serve", "--listen", "localhost:1", "--cert", "c", "--key", "k")]
    [InlineData("--count takes a whole number from 1", "tls", "serve", "--listen", "127.0.0.1:0", "--cert", "c", "--key", "k", "--count", "0")]
    public async Task BadCommandLine_Exit2WithMessage(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Usage:", error, StringComparison.Ordinal); // the library's help follows the error, on stderr too
        Assert.Empty(output);
    }

    [Fact(Timeout = 60_000)]
    public async Task Process_Version_PrintsNameAndVersion()
    {
        var (code, cbb) = await CbbProcess.RunAsync("--version");
        using var process = cbb;
        Assert.Equal(0, code);
        Assert.Matches(@"^cbb \d+\.\d+\.\d+", cbb.Stdout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Process_BadArguments_Exit2AndMessageOnStderr()
    {
        var (code, cbb) = await CbbProcess.RunAsync("tls", "inspect", "--jsn", "127.0.0.1:1");
        using var process = cbb;
        Assert.Equal(2, code);
        Assert.Empty(cbb.Stdout);
        Assert.Contains("Unrecognized option '--jsn'. Did you mean '--json'?", cbb.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  cbb tls inspect <HOST:PORT> [options]", cbb.Stderr, StringComparison.Ordinal);
    }
}
