using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>A certificate or trusted raw public key the daemon holds (list-certs).</summary>
public sealed record ViciCertificate
{
    /// <summary>X509, X509_AC, X509_CRL, OCSP_RESPONSE or PUBKEY (a raw public key).</summary>
    public required string Type { get; init; }

    /// <summary>For X509: NONE, CA, AA or OCSP.</summary>
    public string? Flag { get; init; }

    /// <summary>The daemon holds the matching private key (it is one of our own).</summary>
    public bool HasPrivateKey { get; init; }

    /// <summary>For PUBKEY: the identity the key is bound to (the connection's id), when it has one.</summary>
    public string? Subject { get; init; }

    /// <summary>For PUBKEY: start of validity as charon sends it (ASN.1 time text), when set.</summary>
    public string? NotBefore { get; init; }

    /// <summary>For PUBKEY: end of validity as charon sends it, when set.</summary>
    public string? NotAfter { get; init; }

    /// <summary>DER: the certificate, or the SubjectPublicKeyInfo for PUBKEY.</summary>
    public required ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The DER SubjectPublicKeyInfo: <see cref="Data"/> for PUBKEY, the certificate's key for X509, else null.</summary>
    /// <exception cref="ViciProtocolException">The X.509 data does not parse.</exception>
    public byte[]? GetSubjectPublicKeyInfo()
    {
        if (Type == "PUBKEY")
        {
            return Data.ToArray();
        }

        if (Type != "X509")
        {
            return null;
        }

        using var certificate = ToX509Certificate();
        return certificate.PublicKey.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The X.509 certificate (X509 only; the caller disposes it).</summary>
    /// <exception cref="ViciProtocolException">Not X509, or the data does not parse.</exception>
    public X509Certificate2 ToX509Certificate()
    {
        if (Type != "X509")
        {
            throw new ViciProtocolException($"list-cert entry of type {Type} is not an X.509 certificate");
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(Data.Span);
        }
        catch (CryptographicException e)
        {
            throw new ViciProtocolException("list-cert data is not a DER X.509 certificate", -1, e);
        }
    }

    /// <summary>Type, flag and subject; never the data.</summary>
    public override string ToString() => $"{Type}{(Flag is null ? string.Empty : "/" + Flag)} {Subject} ({Data.Length} bytes{(HasPrivateKey ? ", has private key" : string.Empty)})";
}
