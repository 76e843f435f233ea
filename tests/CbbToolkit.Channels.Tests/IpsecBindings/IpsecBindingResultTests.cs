using CbbToolkit.Channels.IpsecBindings;
using Xunit;

namespace CbbToolkit.Channels.Tests.IpsecBindings;

public sealed class IpsecBindingResultTests
{
    [Fact]
    public void Absent_ValueIsNull_NotAnEmptyValue()
    {
        var result = IpsecBindingResult.Absent(IpsecBindingAbsence.NoPeer, "no peer");

        Assert.Null(result.Value);
        Assert.False(result.HasValue);
    }

    [Fact]
    public void Of_ValueIsACopyOfThe32Octets()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var result = IpsecBindingResult.Of(bytes);
        bytes[0] = 0xff;

        Assert.True(result.HasValue);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), result.Value!.Value.ToArray());
    }
}
