using System.Globalization;
using System.Text.Json;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;

namespace CbbToolkit.Cli.Output;

/// <summary>The JSON of <c>cbb pins</c> (README.md and docs/pin-store.md list the fields). Never a secret.</summary>
internal static class PinsJson
{
    /// <summary>The fields of one pin, for the help text.</summary>
    public const string PinFields =
        "{authority, serverSpkiSha256, serverIpsec {authenticated, method, ikeId, publicKeySha256}, clientIpsec {...}, " +
        "bindingId, bindingVersion, bindingCreatedAt, bindingExpiresAt, bindingExpired, pinnedAt, updatedAt}";

    /// <summary><c>cbb pins list --json</c>: {store, pins, damaged}.</summary>
    public static string List(string store, IReadOnlyList<ServerPin> pins, IReadOnlyDictionary<string, string> damaged, DateTimeOffset now) =>
        JsonLine.Format(json =>
        {
            json.WriteStartObject();
            json.WriteString("store", store);
            json.WriteStartArray("pins");
            foreach (var pin in pins)
            {
                WritePin(json, pin, now);
            }

            json.WriteEndArray();
            json.WriteStartArray("damaged");
            foreach (var (authority, problem) in damaged.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("authority", authority);
                json.WriteString("problem", problem);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });

    /// <summary><c>cbb pins show --json</c>: one pin.</summary>
    public static string Pin(ServerPin pin, DateTimeOffset now) => JsonLine.Format(json => WritePin(json, pin, now));

    /// <summary><c>cbb pins remove --json</c>.</summary>
    public static string Removed(string store, string authority) => JsonLine.Format(json =>
    {
        json.WriteStartObject();
        json.WriteString("store", store);
        json.WriteString("authority", authority);
        json.WriteBoolean("removed", true);
        json.WriteEndObject();
    });

    /// <summary>A time as the JSON shows it: UTC, ISO 8601 with milliseconds.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WritePin(Utf8JsonWriter json, ServerPin pin, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pin);
        json.WriteStartObject();
        json.WriteString("authority", pin.Authority);
        json.WriteString("serverSpkiSha256", pin.SpkiFingerprint);
        WriteIdentity(json, "serverIpsec", pin.ServerIpsecIdentity);
        WriteIdentity(json, "clientIpsec", pin.ClientIpsecIdentity);
        json.WriteString("bindingId", pin.BindingId.ToString());
        json.WriteNumber("bindingVersion", (int)pin.BindingVersion);
        json.WriteString("bindingCreatedAt", Time(pin.BindingCreatedAt));
        json.WriteString("bindingExpiresAt", Time(pin.BindingExpiresAt));
        json.WriteBoolean("bindingExpired", pin.IsBindingExpiredAt(now));
        json.WriteString("pinnedAt", Time(pin.PinnedAt));
        json.WriteString("updatedAt", Time(pin.UpdatedAt));
        json.WriteEndObject();
    }

    private static void WriteIdentity(Utf8JsonWriter json, string name, IpsecIdentity identity)
    {
        json.WriteStartObject(name);
        json.WriteBoolean("authenticated", identity.IsAuthenticated);
        json.WriteString("method", XfrmNames.AuthMethod(identity.AuthenticationMethod));
        json.WriteString("ikeId", identity.IkeId);
        json.WriteString("publicKeySha256", identity.PublicKeySha256.IsEmpty ? null : Convert.ToHexStringLower(identity.PublicKeySha256.Span));
        json.WriteEndObject();
    }
}
