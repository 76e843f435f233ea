using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace CbbServer.Configuration;

/// <summary>Checks the settings once at start-up and reports every problem, naming the key.</summary>
public sealed class CbbServerOptionsValidator : IValidateOptions<CbbServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CbbServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var endpoint in options.Plaintext)
        {
            CheckEndpoint(errors, "plaintext", endpoint);
        }

        if (options.Tls is { } tls)
        {
            CheckEndpoint(errors, "tls", tls);
            CheckFile(errors, "cert", options.Cert, required: true);
            CheckFile(errors, "key", options.Key, required: true);
            CheckFile(errors, "client-ca", options.ClientCa, required: false);
        }
        else if (options.Cert is not null || options.Key is not null || options.ClientCa is not null || options.IpsecPrincipal)
        {
            errors.Add("cert, key, client-ca and ipsec-principal configure the TLS endpoint: give tls IP:PORT too");
        }

        if (options.Plaintext.Count == 0 && options.Tls is null)
        {
            errors.Add("no endpoint: give --plaintext IP:PORT and/or --tls IP:PORT");
        }

        if (options.Vici is { } vici && !vici.StartsWith("unix://", StringComparison.Ordinal))
        {
            errors.Add($"vici: '{vici}' is not a unix:///path URI");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Parses IP:PORT ([v6]:PORT for IPv6); port 0 picks a free port.</summary>
    public static bool TryParseEndpoint(string text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false; // IPv6 needs brackets, or the port would be ambiguous
        }

        if (!IPAddress.TryParse(host, out var address)
            || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    private static void CheckEndpoint(List<string> errors, string key, string text)
    {
        if (!TryParseEndpoint(text, out _))
        {
            errors.Add($"{key}: '{text}' is not IP:PORT (e.g. 192.0.2.1:8080 or [2001:db8::1]:8080)");
        }
    }

    private static void CheckFile(List<string> errors, string key, string? path, bool required)
    {
        if (path is null)
        {
            if (required)
            {
                errors.Add($"{key}: the TLS endpoint needs --{key} PEM");
            }
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{key}: no such file '{path}'");
        }
    }
}
