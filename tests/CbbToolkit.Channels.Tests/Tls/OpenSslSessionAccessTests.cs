using System.Net.Security;
using System.Reflection;
using System.Runtime.CompilerServices;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using Xunit;

namespace CbbToolkit.Channels.Tests.Tls;

/// <summary>
/// How <see cref="OpenSslSession"/> reaches the <c>SSL*</c>, and why not with <c>UnsafeAccessor</c>: the day the runtime
/// accepts an inaccessible field type on a field accessor, <see cref="UnsafeAccessorType_OnAFieldAccessorReturn_IsRejected"/>
/// fails and says to switch.
/// </summary>
public sealed class OpenSslSessionAccessTests
{
    [Fact]
    public void SecurityContextField_IsTheInternalSafeDeleteSslContext()
    {
        var field = typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);

        Assert.NotNull(field);
        Assert.Equal("System.Net.Security.SafeDeleteSslContext", field.FieldType.FullName);
        Assert.False(field.FieldType.IsPublic);
    }

    [Fact]
    public void UnsafeAccessorType_OnAFieldAccessorReturn_IsRejected()
    {
        using var stream = new SslStream(new MemoryStream());

        var e = Record.Exception(() => SecurityContext(stream));

        // NotSupportedException: "Invalid usage of UnsafeAccessorTypeAttribute" (.NET 10). If this fails because the
        // call worked, replace the field lookup in OpenSslSession with this accessor.
        Assert.IsType<NotSupportedException>(e);
    }

    [Fact]
    public void Unauthenticated_Stream_IsNotConnected()
    {
        using var stream = new SslStream(new MemoryStream());

        var e = Assert.Throws<IpsecException>(() => OpenSslSession.SessionReused(stream));

        Assert.Equal(IpsecError.NotConnected, e.Error);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_securityContext")]
    [return: UnsafeAccessorType("System.Net.Security.SafeDeleteSslContext, System.Net.Security")]
    private static extern ref object? SecurityContext(SslStream stream);
}
