using CbbToolkit.Cli.Commands;
using CbbToolkit.Cli.CommandLine;
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
        Assert.Contains("Usage: cbb tls inspect HOST:PORT [--sni NAME] [--insecure] [--tls12|--tls13] [--json]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing command")]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("cbb tls: missing command", "tls")]
    [InlineData("cbb tls: unknown command 'connect'", "tls", "connect")]
    [InlineData("missing HOST:PORT", "tls", "inspect")]
    [InlineData("--tls12 and --tls13 cannot be used together", "tls", "inspect", "h:1", "--tls12", "--tls13")]
    [InlineData("--timeout takes a whole number from 1 to 3600, not '0'", "tls", "inspect", "h:1", "--timeout", "0")]
    [InlineData("missing --listen IP:PORT", "tls", "serve", "--cert", "c", "--key", "k")]
    [InlineData("--listen takes an IP address and a port", "tls", "serve", "--listen", "localhost:1", "--cert", "c", "--key", "k")]
    [InlineData("--count takes a whole number from 1", "tls", "serve", "--listen", "127.0.0.1:0", "--cert", "c", "--key", "k", "--count", "0")]
    public async Task BadCommandLine_Exit2WithMessage(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
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
        Assert.Contains("unknown option '--jsn'; did you mean --json?", cbb.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'cbb tls inspect --help'", cbb.Stderr, StringComparison.Ordinal);
    }
}
