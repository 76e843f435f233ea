using System.Runtime.InteropServices;
using CbbToolkit.Ipsec;

namespace CbbToolkit.NativeApi;

/// <summary>
/// The libssl and libcrypto functions <c>ipsec_openssl_to_channel_info</c> calls on the C program's <c>SSL*</c>,
/// resolved from the libssl.so.3 and libcrypto.so.3 already loaded in the process (RTLD_NOLOAD): the same build the
/// <c>SSL*</c> came from, never a second copy.
/// </summary>
internal sealed unsafe partial class CallerLibSsl
{
    private const int RtldLazy = 0x1;
    private const int RtldNoLoad = 0x4;
    private const string SslName = "libssl.so.3";
    private const string CryptoName = "libcrypto.so.3";
    private const int SslCtrlGetExtmsSupport = 122; // ssl.h: 1 negotiated, 0 not, -1 in a handshake

    private static readonly Lazy<CallerLibSsl> s_loaded = new(Load);

    private readonly delegate* unmanaged<nint, int> _isInitFinished;
    private readonly delegate* unmanaged<nint, int> _version;
    private readonly delegate* unmanaged<nint, int> _isServer;
    private readonly delegate* unmanaged<nint, nint> _currentCipher;
    private readonly delegate* unmanaged<nint, ushort> _cipherProtocolId;
    private readonly delegate* unmanaged<nint, int, nint, nint, nint> _ctrl;
    private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, byte*, nuint, int, int> _exportKeyingMaterial;
    private readonly delegate* unmanaged<nint, int> _sessionReused;
    private readonly delegate* unmanaged<nint, byte*, nuint, nuint> _getFinished;
    private readonly delegate* unmanaged<nint, byte*, nuint, nuint> _getPeerFinished;
    private readonly delegate* unmanaged<nint, nint> _getCertificate;
    private readonly delegate* unmanaged<nint, nint> _get1PeerCertificate;
    private readonly delegate* unmanaged<nint, byte**, int> _i2dX509;
    private readonly delegate* unmanaged<nint, void> _x509Free;

    private CallerLibSsl(nint ssl, nint crypto)
    {
        _isInitFinished = (delegate* unmanaged<nint, int>)Export(ssl, SslName, "SSL_is_init_finished");
        _version = (delegate* unmanaged<nint, int>)Export(ssl, SslName, "SSL_version");
        _isServer = (delegate* unmanaged<nint, int>)Export(ssl, SslName, "SSL_is_server");
        _currentCipher = (delegate* unmanaged<nint, nint>)Export(ssl, SslName, "SSL_get_current_cipher");
        _cipherProtocolId = (delegate* unmanaged<nint, ushort>)Export(ssl, SslName, "SSL_CIPHER_get_protocol_id");
        _ctrl = (delegate* unmanaged<nint, int, nint, nint, nint>)Export(ssl, SslName, "SSL_ctrl");
        _exportKeyingMaterial = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, byte*, nuint, int, int>)Export(ssl, SslName, "SSL_export_keying_material");
        _sessionReused = (delegate* unmanaged<nint, int>)Export(ssl, SslName, "SSL_session_reused");
        _getFinished = (delegate* unmanaged<nint, byte*, nuint, nuint>)Export(ssl, SslName, "SSL_get_finished");
        _getPeerFinished = (delegate* unmanaged<nint, byte*, nuint, nuint>)Export(ssl, SslName, "SSL_get_peer_finished");
        _getCertificate = (delegate* unmanaged<nint, nint>)Export(ssl, SslName, "SSL_get_certificate");
        _get1PeerCertificate = (delegate* unmanaged<nint, nint>)Export(ssl, SslName, "SSL_get1_peer_certificate");
        _i2dX509 = (delegate* unmanaged<nint, byte**, int>)Export(crypto, CryptoName, "i2d_X509");
        _x509Free = (delegate* unmanaged<nint, void>)Export(crypto, CryptoName, "X509_free");
    }

    /// <summary>The functions, resolved once.</summary>
    /// <exception cref="IpsecException">ProtocolOptionUnavailable when the process has no libssl.so.3 loaded.</exception>
    public static CallerLibSsl Loaded => s_loaded.Value;

    public bool IsHandshakeDone(nint ssl) => _isInitFinished(ssl) == 1;

    public ushort Version(nint ssl) => (ushort)_version(ssl);

    public bool IsServer(nint ssl) => _isServer(ssl) == 1;

    public ushort CipherSuite(nint ssl) => _currentCipher(ssl) is var c and not 0 ? _cipherProtocolId(c) : (ushort)0;

    public int ExtendedMasterSecret(nint ssl) => (int)_ctrl(ssl, SslCtrlGetExtmsSupport, 0, 0);

    public bool SessionReused(nint ssl) => _sessionReused(ssl) == 1;

    /// <summary>RFC 5705 exporter; false when OpenSSL refuses.</summary>
    public bool Export(nint ssl, Span<byte> output, ReadOnlySpan<byte> label)
    {
        byte empty = 0; // never a null context pointer, even for the empty context (RFC 9266)
        fixed (byte* o = output)
        fixed (byte* l = label)
        {
            return _exportKeyingMaterial(ssl, o, (nuint)output.Length, l, (nuint)label.Length, &empty, 0, 1) == 1;
        }
    }

    public int Finished(nint ssl, Span<byte> buffer, bool peer)
    {
        fixed (byte* b = buffer)
        {
            return (int)(peer ? _getPeerFinished(ssl, b, (nuint)buffer.Length) : _getFinished(ssl, b, (nuint)buffer.Length));
        }
    }

    /// <summary>DER of this end's certificate, or null.</summary>
    public byte[]? LocalCertificate(nint ssl) => Der(_getCertificate(ssl));

    /// <summary>DER of the peer's certificate, or null.</summary>
    public byte[]? PeerCertificate(nint ssl)
    {
        var x509 = _get1PeerCertificate(ssl);
        try
        {
            return Der(x509);
        }
        finally
        {
            if (x509 != 0)
            {
                _x509Free(x509);
            }
        }
    }

    private byte[]? Der(nint x509)
    {
        if (x509 == 0)
        {
            return null;
        }

        var length = _i2dX509(x509, null);
        if (length <= 0)
        {
            throw new IpsecException(IpsecError.InternalError, "OpenSSL could not encode a certificate (i2d_X509).");
        }

        var der = new byte[length];
        fixed (byte* d = der)
        {
            var p = d; // i2d advances it
            return _i2dX509(x509, &p) == length ? der : throw new IpsecException(IpsecError.InternalError, "i2d_X509 changed its length.");
        }
    }

    private static CallerLibSsl Load()
    {
        var ssl = DlOpen(SslName, RtldLazy | RtldNoLoad);
        var crypto = DlOpen(CryptoName, RtldLazy | RtldNoLoad);
        return ssl != 0 && crypto != 0
            ? new CallerLibSsl(ssl, crypto)
            : throw new IpsecException(IpsecError.ProtocolOptionUnavailable,
                $"No {SslName} is loaded in this process: the SSL* must come from OpenSSL 3 linked into the program.");
    }

    private static nint Export(nint library, string name, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out var address)
            ? address
            : throw new IpsecException(IpsecError.ProtocolOptionUnavailable, $"{name} does not export {symbol}.");

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string fileName, int flags);
}
