using System.Runtime.InteropServices;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The few libssl functions the runtime does not wrap, resolved from the libssl the runtime itself already loaded
/// (never a second copy: an <c>SSL*</c> from one OpenSSL build must not reach another build's functions).
/// </summary>
internal sealed unsafe partial class LibSsl
{
    /// <summary>SSL_CTRL_GET_EXTMS_SUPPORT (ssl.h): 1 when extended master secret was negotiated, 0 when not, -1 in a handshake.</summary>
    internal const int SslCtrlGetExtmsSupport = 122;

    private const int RtldLazy = 0x1;
    private const int RtldNoLoad = 0x4;
    private const string RuntimeShim = "libSystem.Security.Cryptography.Native.OpenSsl.so";

    // The sonames the runtime probes (OpenSSL 3 first); 1.1 has the same signatures for these functions.
    private static readonly string[] s_candidates = ["libssl.so.3", "libssl.so.1.1"];

    private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, byte*, nuint, int, int> _exportKeyingMaterial;
    private readonly delegate* unmanaged<nint, int, nint, nint, nint> _ctrl;
    private readonly delegate* unmanaged<nint, int> _version;
    private readonly delegate* unmanaged<nint, int> _sessionReused;
    private readonly delegate* unmanaged<nint, byte*, nuint, nuint> _getFinished;
    private readonly delegate* unmanaged<nint, byte*, nuint, nuint> _getPeerFinished;

    private LibSsl(string name, nint library)
    {
        Name = name;
        _exportKeyingMaterial = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, byte*, nuint, int, int>)Export(library, name, "SSL_export_keying_material");
        _ctrl = (delegate* unmanaged<nint, int, nint, nint, nint>)Export(library, name, "SSL_ctrl");
        _version = (delegate* unmanaged<nint, int>)Export(library, name, "SSL_version");
        _sessionReused = (delegate* unmanaged<nint, int>)Export(library, name, "SSL_session_reused");
        _getFinished = (delegate* unmanaged<nint, byte*, nuint, nuint>)Export(library, name, "SSL_get_finished");
        _getPeerFinished = (delegate* unmanaged<nint, byte*, nuint, nuint>)Export(library, name, "SSL_get_peer_finished");
    }

    /// <summary>The soname the functions were resolved from.</summary>
    internal string Name { get; }

    /// <summary>
    /// Resolves the functions from the libssl already in the process. Call only after the runtime has done a TLS
    /// handshake (it loads libssl lazily).
    /// </summary>
    /// <exception cref="IpsecException">ProtocolOptionUnavailable, naming what is missing.</exception>
    internal static LibSsl Load()
    {
        foreach (var name in s_candidates)
        {
            var library = DlOpen(name, RtldLazy | RtldNoLoad);
            if (library != 0)
            {
                CheckSameBuildAsRuntime(name, library);
                return new LibSsl(name, library);
            }
        }

        throw new IpsecException(IpsecError.ProtocolOptionUnavailable,
            $"No libssl ({string.Join(" or ", s_candidates)}) is loaded in this process, so the runtime's TLS is not OpenSSL 1.1/3.");
    }

    internal int ExportKeyingMaterial(nint ssl, Span<byte> output, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, bool useContext)
    {
        // Never hand OpenSSL a null context pointer, even for an empty context (RFC 9266's case).
        Span<byte> empty = stackalloc byte[1];
        var ctx = context.IsEmpty ? empty : context;
        fixed (byte* o = output)
        fixed (byte* l = label)
        fixed (byte* c = ctx)
        {
            return _exportKeyingMaterial(ssl, o, (nuint)output.Length, l, (nuint)label.Length, c, (nuint)context.Length, useContext ? 1 : 0);
        }
    }

    internal nint Ctrl(nint ssl, int command, nint larg) => _ctrl(ssl, command, larg, 0);

    internal int Version(nint ssl) => _version(ssl);

    internal bool SessionReused(nint ssl) => _sessionReused(ssl) == 1;

    internal int GetFinished(nint ssl, Span<byte> buffer, bool peer)
    {
        fixed (byte* b = buffer)
        {
            return (int)(peer ? _getPeerFinished(ssl, b, (nuint)buffer.Length) : _getFinished(ssl, b, (nuint)buffer.Length));
        }
    }

    // Guards against a process that has two OpenSSL builds loaded: ours must be the major.minor the runtime uses.
    private static void CheckSameBuildAsRuntime(string name, nint library)
    {
        var shim = DlOpen(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), RuntimeShim), RtldLazy | RtldNoLoad);
        if (shim == 0 || !NativeLibrary.TryGetExport(shim, "CryptoNative_OpenSslVersionNumber", out var runtimeVersionFn))
        {
            return; // app-local or single-file layout: the start-up self-test is the remaining guard
        }

        var ours = ((delegate* unmanaged<nuint>)Export(library, name, "OpenSSL_version_num"))();
        var runtime = ((delegate* unmanaged<nint>)runtimeVersionFn)();
        if ((ours >> 20) != ((nuint)runtime >> 20))
        {
            throw new IpsecException(IpsecError.ProtocolOptionUnavailable,
                $"{name} is OpenSSL 0x{ours:x} but the runtime uses OpenSSL 0x{runtime:x}; two OpenSSL builds are loaded.");
        }
    }

    private static nint Export(nint library, string name, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out var address)
            ? address
            : throw new IpsecException(IpsecError.ProtocolOptionUnavailable, $"{name} does not export {symbol}.");

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string fileName, int flags);
}
