using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using Xunit;

namespace CbbToolkit.Architecture.Tests.Docs;

/// <summary>
/// docs/api.md's error and reason tables are true to the code: every enum value has its row, with the number, code and
/// error value the code gives it. A value added to an enum fails here until the doc says what it means.
/// </summary>
public sealed class ErrorTableTests
{
    private const string Doc = "docs/api.md";

    public static TheoryData<IpsecError> IpsecErrors() => [.. Enum.GetValues<IpsecError>()];

    [Theory]
    [MemberData(nameof(IpsecErrors))]
    public void EveryIpsecError_HasItsRow_WithItsErrno(IpsecError error)
    {
        var row = Row(MarkdownTables.After(Doc, "## Error values"), 2, error.ToString());

        Assert.Equal(((int)error).ToString(System.Globalization.CultureInfo.InvariantCulture), row[0]);
        Assert.Equal(error == IpsecError.None ? "-" : ErrnoName((int)error), row[1]);
    }

    public static TheoryData<IpsecNotProtectedReason> NotProtectedReasons() => [.. Enum.GetValues<IpsecNotProtectedReason>()];

    [Theory]
    [MemberData(nameof(NotProtectedReasons))]
    public void EveryNotProtectedReason_HasItsRow_WithItsCodeAndError(IpsecNotProtectedReason reason)
    {
        var row = Row(MarkdownTables.After(Doc, "`IpsecNotProtectedReason`"), 0, reason.ToString());

        Assert.Equal(reason == IpsecNotProtectedReason.None ? "-" : Kebab(reason.ToString()), row[1]);
        Assert.Equal(ResolutionError(reason).ToString(), row[2]);
    }

    public static TheoryData<IpsecPeerStatus> PeerStatuses() => [.. Enum.GetValues<IpsecPeerStatus>()];

    [Theory]
    [MemberData(nameof(PeerStatuses))]
    public void EveryPeerStatus_HasItsRow_WithItsCode(IpsecPeerStatus status)
    {
        var row = Row(MarkdownTables.After(Doc, "`IpsecPeerStatus`"), 0, status.ToString());

        Assert.Equal(Kebab(status.ToString()), row[1]);
    }

    public static TheoryData<IpsecBindingAbsence> Absences() => [.. Enum.GetValues<IpsecBindingAbsence>()];

    [Theory]
    [MemberData(nameof(Absences))]
    public void EveryBindingAbsence_HasItsRow_WithItsCode(IpsecBindingAbsence absence)
    {
        var row = Row(MarkdownTables.After(Doc, "`IpsecBindingAbsence`"), 0, absence.ToString());

        Assert.Equal(Kebab(absence.ToString()), row[1]);
    }

    public static TheoryData<BindingFailureReason> FailureReasons() => [.. Enum.GetValues<BindingFailureReason>()];

    [Theory]
    [MemberData(nameof(FailureReasons))]
    public void EveryBindingFailureReason_HasItsRow_WithValueTokenAndError(BindingFailureReason reason)
    {
        var row = Row(MarkdownTables.After(Doc, "`BindingFailureReason`"), 0, reason.ToString());

        Assert.Equal(((byte)reason).ToString(System.Globalization.CultureInfo.InvariantCulture), row[1]);
        Assert.StartsWith(reason.ToToken(), row[2], StringComparison.Ordinal);
        Assert.Equal(new ChannelBindingException(reason, "test").Error.ToString(), row[3]);
    }

    [Theory]
    [InlineData("`IpsecNotProtectedReason`", typeof(IpsecNotProtectedReason))]
    [InlineData("`IpsecPeerStatus`", typeof(IpsecPeerStatus))]
    [InlineData("`IpsecBindingAbsence`", typeof(IpsecBindingAbsence))]
    [InlineData("`BindingFailureReason`", typeof(BindingFailureReason))]
    public void ReasonTables_HaveNoRowsTheCodeDoesNotHave(string marker, Type type)
    {
        var names = Enum.GetNames(type);

        Assert.All(MarkdownTables.After(Doc, marker), row => Assert.Contains(row[0], names));
    }

    [Fact]
    public void ErrorTable_HasNoRowsTheCodeDoesNotHave()
    {
        var names = Enum.GetNames<IpsecError>();

        Assert.All(MarkdownTables.After(Doc, "## Error values"), row => Assert.Contains(row[2], names));
    }

    private static string[] Row(IReadOnlyList<string[]> rows, int column, string name)
    {
        var matching = rows.Where(r => r.Length > column && r[column] == name).ToList();
        Assert.True(matching.Count == 1, $"{Doc} has {matching.Count} rows for {name} (column {column}); it needs exactly one");
        return matching[0];
    }

    // IpsecChannelResolution.Error, the error the facade returns, for a resolution that found no channel for this reason.
    private static IpsecError ResolutionError(IpsecNotProtectedReason reason)
    {
        if (reason == IpsecNotProtectedReason.None)
        {
            return IpsecError.None;
        }

        var factory = typeof(IpsecChannelResolution).GetMethod("NotProtected", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("IpsecChannelResolution.NotProtected is gone: update this test");
        var flow = new IpsecFlow(new IPEndPoint(IPAddress.Loopback, 1), new IPEndPoint(IPAddress.Loopback, 2), ProtocolType.Tcp);
        var resolution = (IpsecChannelResolution)factory.Invoke(null, [flow, reason, "test"])!;
        return resolution.Error;
    }

    // The name the errno has in asm-generic/errno*.h, as the table's second column gives it.
    private static string ErrnoName(int errno)
    {
        var name = typeof(IpsecError).Assembly.GetType("CbbToolkit.Ipsec.Interop.LinuxErrno", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Single(f => f.IsLiteral && (int)f.GetRawConstantValue()! == errno);
        return name.Name;
    }

    private static string Kebab(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
