using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Commands;
using CbbToolkit.Cli.Tests.Infrastructure;
using CsCheck;
using Xunit;

namespace CbbToolkit.Cli.Tests.CommandLine;

public sealed class CompletionTests
{
    private static async Task<(int Code, string[] Lines)> SuggestAsync(string line)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new CommandDispatcher(CommandTree.Create())
            .RunAsync([$"[suggest:{line.Length}]", line], new CommandContext(output, error, CancellationToken.None));
        Assert.Empty(error.ToString());
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("cbb ", "tls", "xfrm", "ipsec", "vici", "pins", "http")]
    [InlineData("cbb http ", "get")]
    [InlineData("cbb http get https://h/ --in", "--insecure")]
    [InlineData("cbb http get https://h/ --le", "--leap-of-faith")]
    [InlineData("cbb tls i", "inspect")]
    [InlineData("cbb xfrm ", "policy", "sa", "monitor")]
    [InlineData("cbb tls inspect h:1 --tl", "--tls12", "--tls13")]
    [InlineData("cbb ipsec channel --proto ", "tcp", "udp")]
    public async Task SuggestDirective_CompletesCommandsOptionsAndValues(string line, params string[] expected)
    {
        var (code, lines) = await SuggestAsync(line);
        Assert.Equal(0, code);
        foreach (var word in expected)
        {
            Assert.Contains(word, lines);
        }
    }

    [Fact]
    public async Task SuggestDirective_ProtoOffersTcpAndUdpOnly()
    {
        var (_, lines) = await SuggestAsync("cbb ipsec channel --proto ");
        Assert.Equal(["tcp", "udp"], lines);
    }

    [Fact]
    public async Task SuggestDirective_OffersOnlyWhatMatchesThePrefix()
    {
        var (_, lines) = await SuggestAsync("cbb tls inspect h:1 --tl");
        Assert.All(lines, l => Assert.StartsWith("--tl", l, StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task BashCompletionScript_CompletesFromTheBuiltCbb()
    {
        var script = Path.Combine(RepositoryRoot(), "src", "Cli", "completion", "cbb.bash");
        var bash = $$"""
            cbb() { '{{DotnetHost.Path}}' '{{CbbProcess.Dll}}' "$@"; }
            source '{{script}}'
            COMP_LINE='cbb xfrm po'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(cbb xfrm po); COMP_CWORD=2
            _cbb_complete
            printf '%s\n' "${COMPREPLY[@]}"
            complete -p cbb
            """;
        using var process = ChildProcess.Start("bash", ["-c", bash]);
        var code = await process.WaitForExitAsync();
        Assert.True(code == 0, process.Output());
        var lines = process.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("policy", lines[0]);
        Assert.Contains("complete -o default -F _cbb_complete cbb", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AnyWords_ParseIntoValuesOrErrors_NeverThrow()
    {
        // Whatever the words, the library either parses them into values cbb accepts or reports errors: nothing escapes.
        var word = Gen.OneOfConst("h:1", "[::1]:443", "--sni", "--json", "--tls12", "--tls13", "--timeout", "5", "0", "--", "-", "-x",
            "--sni=v", "--json=1", "=", "", "--insecure");
        var command = CommandTree.Create();
        word.Array[0, 8].Sample(words =>
        {
            var result = command.Parse(["tls", "inspect", .. words]);
            if (result.Errors.Count == 0)
            {
                Assert.Contains(result.CommandResult.Command.Arguments, a => result.GetResult(a) is not null);
                Assert.InRange(result.GetValue<int>("--timeout"), 1, 3600);
            }
            else
            {
                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
            }
        });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no CbbToolkit.sln above " + AppContext.BaseDirectory);
    }
}
