using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The ONE place that reaches into <see cref="SslStream"/>'s private layout: it finds the OpenSSL <c>SSL*</c> behind a
/// stream and calls libssl on it. Everything else goes through <see cref="TlsKeyingMaterial"/>.
/// </summary>
/// <remarks>
/// <para>
/// SWITCH TO THE PUBLIC API HERE: when .NET ships <c>SslStream.ExportKeyingMaterial</c> (dotnet/runtime#112529), make
/// <see cref="ExportKeyingMaterial"/> call it, read extended master secret from whatever the runtime exposes, and delete
/// the field lookup below together with <see cref="LibSsl"/>.
/// </para>
/// <para>
/// Layout (.NET 10): <c>SslStream._securityContext</c> is a <c>SafeDeleteSslContext</c> whose concrete type on Linux
/// is <c>SafeSslHandle</c>, and its handle is the <c>SSL*</c>. Trim and NativeAOT safe: the field is found by a
/// constant name on <c>typeof(SslStream)</c>, a pattern the trimmer and ILC analyse, so they keep the field and its
/// metadata (no warning, nothing to suppress). <c>UnsafeAccessor</c> cannot express this read: the field's type is
/// internal, and .NET 10 rejects <c>UnsafeAccessorType</c> on a field accessor's return
/// (<see cref="BadImageFormatException"/> / <see cref="NotSupportedException"/> at the first call). The start-up
/// self-test (<see cref="TlsExporterSupport"/>) proves on each runtime, JIT or NativeAOT, that the path works before
/// any value is handed out.
/// </para>
/// </remarks>
internal static class OpenSslSession
{
    private const string SecurityContextField = "_securityContext";
    private const string SslHandleTypeName = "Microsoft.Win32.SafeHandles.SafeSslHandle";

    private static readonly FieldInfo? s_securityContext = FindSecurityContextField();
    private static readonly Lazy<LibSsl> s_libSsl = new(LibSsl.Load);

    /// <summary>RFC 5705 exporter on the stream's session; false when OpenSSL refuses.</summary>
    internal static bool ExportKeyingMaterial(SslStream stream, Span<byte> output, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, bool useContext)
    {
        using var session = Acquire(stream);
        return session.Lib.ExportKeyingMaterial(session.Ssl, output, label, context, useContext) == 1;
    }

    /// <summary>OpenSSL's extended-master-secret flag of the session: 1, 0, or -1 while a handshake runs.</summary>
    internal static int GetExtendedMasterSecret(SslStream stream)
    {
        using var session = Acquire(stream);
        return (int)session.Lib.Ctrl(session.Ssl, LibSsl.SslCtrlGetExtmsSupport, 0);
    }

    /// <summary>Whether the latest handshake resumed a session (abbreviated handshake).</summary>
    internal static bool SessionReused(SslStream stream)
    {
        using var session = Acquire(stream);
        return session.Lib.SessionReused(session.Ssl);
    }

    /// <summary>
    /// The first Finished message's verify_data of the latest handshake (RFC 5929 section 3): the client's on a full
    /// handshake, the server's on a resumed one.
    /// </summary>
    internal static byte[] GetFirstFinished(SslStream stream)
    {
        using var session = Acquire(stream);
        var ownFirst = stream.IsServer == session.Lib.SessionReused(session.Ssl);
        Span<byte> buffer = stackalloc byte[64];
        var length = session.Lib.GetFinished(session.Ssl, buffer, peer: !ownFirst);
        return length is > 0 and <= 64
            ? buffer[..length].ToArray()
            : throw new IpsecException(IpsecError.NotSupported, "OpenSSL has no Finished message for this session.");
    }

    private static Session Acquire(SslStream stream)
    {
        if (s_securityContext is null)
        {
            throw Unavailable($"SslStream has no private field {SecurityContextField} on .NET {Environment.Version}");
        }

        var handle = FindSslHandle(s_securityContext.GetValue(stream))
            ?? throw new IpsecException(IpsecError.NotConnected, "The SslStream has no TLS session (not authenticated, or disposed).");
        var lib = s_libSsl.Value; // only now: the runtime loads libssl with its first handshake
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var ssl = handle.DangerousGetHandle();
            if (ssl == 0 || handle.IsClosed)
            {
                throw new IpsecException(IpsecError.NotConnected, "The SslStream's TLS session is closed.");
            }

            // A cheap check that this pointer really is the stream's SSL*: OpenSSL must report the same TLS version.
            var version = lib.Version(ssl);
            if (version != TlsWireVersion.Of(stream))
            {
                throw Unavailable($"the native handle reports TLS version 0x{version:x4}, the stream {stream.SslProtocol}");
            }

            var session = new Session(handle, ssl, lib);
            added = false; // the session owns the reference now
            return session;
        }
        catch (ObjectDisposedException e)
        {
            throw new IpsecException(IpsecError.NotConnected, "The SslStream was disposed.", e);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // A constant name on a typeof: the trimmer keeps exactly this field (IL2070 would flag anything it cannot see).
    private static FieldInfo? FindSecurityContextField() =>
        typeof(SslStream).GetField(SecurityContextField, BindingFlags.NonPublic | BindingFlags.Instance);

    private static SafeHandle? FindSslHandle(object? securityContext)
    {
        if (securityContext is null)
        {
            return null;
        }

        if (securityContext is not SafeHandle context)
        {
            throw Unavailable($"{SecurityContextField} is a {securityContext.GetType().FullName}, not a SafeHandle");
        }

        for (var type = context.GetType(); type is not null; type = type.BaseType)
        {
            if (type.FullName == SslHandleTypeName)
            {
                return context;
            }
        }

        throw Unavailable($"{SecurityContextField} is a {context.GetType().FullName}, not a {SslHandleTypeName}");
    }

    private static IpsecException Unavailable(string cause) =>
        new(IpsecError.ProtocolOptionUnavailable, $"The runtime's private SslStream layout is not the expected one: {cause}.");

    private readonly struct Session(SafeHandle owner, nint ssl, LibSsl lib) : IDisposable
    {
        public nint Ssl { get; } = ssl;

        public LibSsl Lib { get; } = lib;

        public void Dispose() => owner.DangerousRelease();
    }
}
