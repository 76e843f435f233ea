using CbbToolkit.Yarp.Headers;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Headers;

public sealed class StructuredDictionaryTests
{
    [Fact]
    public void Writer_EscapesAndParserReadsBack()
    {
        var writer = new StructuredDictionaryWriter();
        writer.String("s", "a \"quoted\" \\ value");
        writer.String("u", "jürgen");
        writer.Token("t", "pkix-trusted");
        writer.Integer("n", 4294967295);
        writer.Boolean("yes", true);
        writer.Boolean("no", false);
        writer.Bytes("b", [0, 1, 254, 255]);
        writer.StringList("via", ["p1", "p\"2"]);

        var text = writer.ToString();
        var members = StructuredDictionaryParser.Parse(text);

        Assert.Equal("s=\"a \\\"quoted\\\" \\\\ value\", u=:asO8cmdlbg==:, t=pkix-trusted, n=4294967295, yes, no=?0, b=:AAH+/w==:, via=(\"p1\" \"p\\\"2\")", text);
        Assert.Equal("a \"quoted\" \\ value", members["s"]);
        Assert.Equal("jürgen"u8.ToArray(), (byte[])members["u"]); // not printable ASCII: sent as its UTF-8 bytes
        Assert.Equal(new StructuredToken("pkix-trusted"), members["t"]);
        Assert.Equal(4294967295L, members["n"]);
        Assert.Equal(true, members["yes"]);
        Assert.Equal(false, members["no"]);
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, (byte[])members["b"]);
        Assert.Equal(new object[] { "p1", "p\"2" }, (IReadOnlyList<object>)members["via"]);
    }

    [Theory]
    [InlineData("a=\"unterminated")]
    [InlineData("a=\"bad \\n escape\"")]
    [InlineData("A=1")]                 // keys are lowercase
    [InlineData("a=1,")]                // trailing comma
    [InlineData("a=:not base64!:")]
    [InlineData("a=?2")]
    [InlineData("a=1234567890123456")]  // 16 digits
    [InlineData("a=(1 2")]
    [InlineData("a=\"tab\there\"")]
    public void Parser_RejectsMalformed(string field)
    {
        Assert.Throws<FormatException>(() => StructuredDictionaryParser.Parse(field));
        Assert.False(StructuredDictionaryParser.TryParse(field, out _));
    }

    [Fact]
    public void Parser_AcceptsParametersAndLastDuplicateWins()
    {
        var members = StructuredDictionaryParser.Parse("a=1;p=2, b=(x y);q, a=3,  c");

        Assert.Equal(3L, members["a"]);
        Assert.Equal(2, ((IReadOnlyList<object>)members["b"]).Count);
        Assert.Equal(true, members["c"]);
    }
}
