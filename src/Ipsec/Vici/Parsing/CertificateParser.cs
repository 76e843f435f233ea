namespace CbbToolkit.Ipsec.Vici.Parsing;

/// <summary>Builds <see cref="ViciCertificate"/> from a list-cert event.</summary>
internal static class CertificateParser
{
    public static ViciCertificate Parse(ViciMessage s) => new()
    {
        Type = s.GetRequiredString("type"),
        Flag = s.GetString("flag"),
        HasPrivateKey = s.GetBoolean("has_privkey"),
        Subject = s.GetString("subject"),
        NotBefore = s.GetString("not-before"),
        NotAfter = s.GetString("not-after"),
        Data = s.GetBytes("data") is { Length: > 0 } data ? data : throw IkeSaParser.Missing(s, "data"),
    };
}
