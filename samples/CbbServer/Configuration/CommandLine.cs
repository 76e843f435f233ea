namespace CbbServer.Configuration;

/// <summary>
/// Turns <c>[--plaintext IP:PORT]... [--tls IP:PORT --cert PEM --key PEM [--client-ca PEM]] [--ipsec-principal]
/// [--known-proxy IKE-ID]... [--vici URI]</c> into configuration keys of <see cref="CbbServerOptions.Section"/> (a repeated --plaintext or --known-proxy becomes a
/// list, which the framework's command-line provider cannot do).
/// </summary>
public static class CommandLine
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "usage: CbbServer [--plaintext IP:PORT]... [--tls IP:PORT --cert PEM --key PEM [--client-ca PEM]] [--ipsec-principal] [--known-proxy IKE-ID]... [--vici URI]";

    private static readonly Dictionary<string, string> s_listed = new(StringComparer.Ordinal)
    {
        ["--plaintext"] = nameof(CbbServerOptions.Plaintext),
        ["--known-proxy"] = nameof(CbbServerOptions.KnownProxies),
    };

    private static readonly Dictionary<string, string> s_valued = new(StringComparer.Ordinal)
    {
        ["--tls"] = nameof(CbbServerOptions.Tls),
        ["--cert"] = nameof(CbbServerOptions.Cert),
        ["--key"] = nameof(CbbServerOptions.Key),
        ["--client-ca"] = nameof(CbbServerOptions.ClientCa),
        ["--vici"] = nameof(CbbServerOptions.Vici),
    };

    /// <summary>The configuration keys and values the arguments set.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value, or an option given twice.</exception>
    public static Dictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--ipsec-principal")
            {
                Set(values, nameof(CbbServerOptions.IpsecPrincipal), "true", name);
                continue;
            }

            if (!s_listed.ContainsKey(name) && !s_valued.ContainsKey(name))
            {
                throw new UsageException($"unknown argument '{name}'");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{name} needs a value");
            }

            var value = args[++i];
            if (s_listed.TryGetValue(name, out var list))
            {
                var index = counts.GetValueOrDefault(name);
                counts[name] = index + 1;
                values[$"{CbbServerOptions.Section}:{list}:{index}"] = value;
            }
            else
            {
                Set(values, s_valued[name], value, name);
            }
        }

        return values;
    }

    private static void Set(Dictionary<string, string?> values, string key, string value, string option)
    {
        if (!values.TryAdd($"{CbbServerOptions.Section}:{key}", value))
        {
            throw new UsageException($"{option} given twice");
        }
    }
}
