using System.Formats.Asn1;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The two pieces of an X.509 certificate (RFC 5280 section 4.1) the converter needs, read straight from its encoding:
/// the outer signatureAlgorithm and the subjectPublicKeyInfo. Malformed input is a BadMessage error.
/// </summary>
internal static class CertificateDer
{
    // Certificates are DER; BER reading also accepts the occasional non-minimal encoding a TLS stack let through.
    private const AsnEncodingRules Rules = AsnEncodingRules.BER;

    private static readonly Asn1Tag s_versionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>The certificate's signatureAlgorithm: its OID and its encoded parameters (empty when absent).</summary>
    internal static (string Oid, ReadOnlyMemory<byte> Parameters) ReadSignatureAlgorithm(ReadOnlyMemory<byte> certificate) =>
        Parse(() =>
        {
            var outer = ReadCertificate(certificate);
            _ = outer.ReadEncodedValue(); // tbsCertificate
            var algorithm = outer.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            var parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : ReadOnlyMemory<byte>.Empty;
            algorithm.ThrowIfNotEmpty();
            return (oid, parameters);
        });

    /// <summary>The encoded subjectPublicKeyInfo.</summary>
    internal static ReadOnlyMemory<byte> ReadSubjectPublicKeyInfo(ReadOnlyMemory<byte> certificate) =>
        Parse(() =>
        {
            var tbs = ReadCertificate(certificate).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(s_versionTag))
            {
                _ = tbs.ReadEncodedValue();
            }

            for (var i = 0; i < 5; i++)
            {
                _ = tbs.ReadEncodedValue(); // serialNumber, signature, issuer, validity, subject
            }

            var spki = tbs.ReadEncodedValue();
            _ = new AsnReader(spki, Rules).ReadSequence(); // must be a SEQUENCE
            return spki;
        });

    /// <summary>The hash OID inside RSASSA-PSS-params (RFC 4055 section 3.1): SHA-1 when absent (its DEFAULT).</summary>
    internal static string ReadPssHashAlgorithm(ReadOnlyMemory<byte> parameters) =>
        Parse(() =>
        {
            const string sha1 = "1.3.14.3.2.26";
            if (parameters.IsEmpty)
            {
                return sha1;
            }

            var pss = new AsnReader(parameters, Rules).ReadSequence();
            if (!pss.HasData || !pss.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                return sha1;
            }

            return pss.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence().ReadObjectIdentifier();
        });

    private static AsnReader ReadCertificate(ReadOnlyMemory<byte> certificate)
    {
        var reader = new AsnReader(certificate, Rules);
        var outer = reader.ReadSequence();
        reader.ThrowIfNotEmpty(); // nothing may follow the certificate
        return outer;
    }

    private static T Parse<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (AsnContentException e)
        {
            throw new IpsecException(IpsecError.BadMessage, $"The certificate is not valid DER: {e.Message}", e);
        }
    }
}
