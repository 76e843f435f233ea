using CbbToolkit.Cli.CommandLine;
using CsCheck;
using Xunit;

namespace CbbToolkit.Cli.Tests.CommandLine;

public sealed class ArgumentParserTests
{
    private sealed class Sample : Command
    {
        public override string Name => "sample";
        public override string Summary => "A command for tests.";
        public override IReadOnlyList<ArgumentSpec> Arguments { get; } = [new("TARGET", "Target.")];
        public override IReadOnlyList<OptionSpec> Options { get; } =
        [
            new("--name", "NAME", "A value."),
            new("--flag", null, "A flag."),
            new("--a", null, "A.", ExclusiveGroup: "x"),
            new("--b", null, "B.", ExclusiveGroup: "x"),
            new("--must", "M", "Required.", Required: true),
        ];

        public override Task<int> RunAsync(ParsedArguments arguments, CommandContext context) => Task.FromResult(0);
    }

    private static readonly Sample Command = new();

    [Fact]
    public void ValuesFlagsAndPositional_AreRead()
    {
        var parsed = ArgumentParser.Parse(Command, ["t", "--name", "n", "--flag", "--must=m"]);
        Assert.Equal(["t"], parsed.Positionals);
        Assert.Equal("n", parsed.Value("--name"));
        Assert.Equal("m", parsed.Value("--must"));
        Assert.True(parsed.Has("--flag"));
        Assert.False(parsed.Has("--a"));
    }

    [Fact]
    public void DoubleDash_EndsOptions()
    {
        var parsed = ArgumentParser.Parse(Command, ["--must", "m", "--", "--flag"]);
        Assert.Equal(["--flag"], parsed.Positionals);
        Assert.False(parsed.Has("--flag"));
    }

    [Theory]
    [InlineData("missing TARGET", "--must", "m")]
    [InlineData("missing --must M", "t")]
    [InlineData("unknown option '--nmae'; did you mean --name?", "t", "--must", "m", "--nmae", "x")]
    [InlineData("unknown option '--zzzzzz'", "t", "--must", "m", "--zzzzzz")]
    [InlineData("--name needs a value: --name NAME", "t", "--must", "m", "--name")]
    [InlineData("--name needs a value: --name NAME", "t", "--must", "m", "--name", "--flag")]
    [InlineData("--name needs a non-empty value", "t", "--must", "m", "--name=")]
    [InlineData("--flag is a flag and takes no value", "t", "--must", "m", "--flag=1")]
    [InlineData("--flag given more than once", "t", "--must", "m", "--flag", "--flag")]
    [InlineData("--a and --b cannot be used together", "t", "--must", "m", "--a", "--b")]
    [InlineData("unexpected argument 'u'", "t", "u", "--must", "m")]
    public void BadCommandLine_UsageExceptionSaysWhat(string expected, params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(Command, args));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int32OutOfRange_UsageException()
    {
        var parsed = new ParsedArguments([], new Dictionary<string, string?> { ["--count"] = "0" });
        var e = Assert.Throws<UsageException>(() => parsed.Int32("--count", 0, 1, 10));
        Assert.Equal("--count takes a whole number from 1 to 10, not '0'", e.Message);
        Assert.Equal(7, new ParsedArguments([], new Dictionary<string, string?>()).Int32("--count", 7, 1, 10));
    }

    [Fact]
    public void AnyArguments_ParseOrUsageException()
    {
        // Whatever the words, the parser either parses or says what is wrong: nothing else escapes.
        var word = Gen.OneOfConst("t", "--name", "--flag", "--a", "--b", "--must", "m", "--", "-", "-x", "--name=v", "--flag=1", "=", "");
        word.Array[0, 8].Sample(args =>
        {
            try
            {
                var parsed = ArgumentParser.Parse(Command, args);
                Assert.Single(parsed.Positionals);
                Assert.True(parsed.Has("--must"));
            }
            catch (UsageException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        });
    }
}
