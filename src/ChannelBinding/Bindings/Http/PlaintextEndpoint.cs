using System.Diagnostics.CodeAnalysis;

namespace CbbToolkit.Channels.Bindings.Http;

/// <summary>
/// A server's advertisement of its plaintext endpoint for bound clients, sent over TLS only in
/// <see cref="BindingHeaderNames.Plaintext"/>: <c>v=1, port=8080, ma=86400</c>. The endpoint is on the same host
/// (the same IP address the TLS connection went to: the IPsec channel is between the two hosts); a client uses it only
/// with a binding for that authority, only over a verified IPsec channel, and forgets it after <see cref="MaxAge"/>.
/// </summary>
/// <param name="Port">The plaintext port (1 to 65535).</param>
/// <param name="MaxAge">How long the advertisement holds.</param>
public sealed record PlaintextEndpoint(int Port, TimeSpan MaxAge)
{
    /// <summary>The header value.</summary>
    public string Format()
    {
        if (Port is < 1 or > 65535 || MaxAge < TimeSpan.Zero)
        {
            throw new InvalidOperationException("A plaintext endpoint has a port 1 to 65535 and a non-negative max age.");
        }

        return StructuredDictionary.Serialize([
            KeyValuePair.Create("v", StructuredItem.FromInteger(1)),
            KeyValuePair.Create("port", StructuredItem.FromInteger(Port)),
            KeyValuePair.Create("ma", StructuredItem.FromInteger((long)MaxAge.TotalSeconds)),
        ]);
    }

    /// <summary>Parses the header value strictly.</summary>
    /// <exception cref="ChannelBindingException">Malformed, Oversized, UnsupportedVersion or UnknownField.</exception>
    public static PlaintextEndpoint Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var members = StructuredDictionary.Parse(value);
        if (members.Find(m => m.Key == "v").Value is not { Kind: StructuredItemKind.Integer, Integer: 1 })
        {
            throw new ChannelBindingException(BindingFailureReason.UnsupportedVersion, $"{BindingHeaderNames.Plaintext} must say v=1.");
        }

        if (members.Find(m => m.Key is not ("v" or "port" or "ma")) is { Key: { } unknown })
        {
            throw new ChannelBindingException(BindingFailureReason.UnknownField, $"{BindingHeaderNames.Plaintext} has no key '{unknown}'.");
        }

        return members.Count == 3
            && members.Find(m => m.Key == "port").Value is { Kind: StructuredItemKind.Integer, Integer: >= 1 and <= 65535 } port
            && members.Find(m => m.Key == "ma").Value is { Kind: StructuredItemKind.Integer, Integer: >= 0 and <= int.MaxValue } ma
            ? new PlaintextEndpoint((int)port.Integer, TimeSpan.FromSeconds(ma.Integer))
            : throw new ChannelBindingException(BindingFailureReason.Malformed, $"{BindingHeaderNames.Plaintext} needs port (1-65535) and ma (seconds).");
    }

    /// <summary>Parses, or returns false with the refusal.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out PlaintextEndpoint? endpoint, [NotNullWhen(false)] out ChannelBindingException? error)
    {
        endpoint = null;
        error = null;
        try
        {
            endpoint = Parse(value ?? throw new ChannelBindingException(BindingFailureReason.Malformed, "No value."));
            return true;
        }
        catch (ChannelBindingException e)
        {
            error = e;
            return false;
        }
    }
}
