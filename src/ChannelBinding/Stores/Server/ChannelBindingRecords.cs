using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Channels.Stores;

/// <summary>Helpers the stores share for the records they keep.</summary>
internal static class ChannelBindingRecords
{
    /// <summary>An independent copy (its own secret buffer), so the store and its callers dispose separately.</summary>
    public static ChannelBindingRecord Copy(ChannelBindingRecord record) =>
        new(record.Id, record.Version, record.Role, record.Secret.Clone(), record.ClientIpsecIdentity, record.ServerIpsecIdentity,
            record.Principal, record.ServerSpkiSha256.Span, record.ServerAuthority, record.CreatedAt, record.ExpiresAt);

    /// <summary>Checks what every server store requires of a new record.</summary>
    public static void ValidateForServerStore(ChannelBindingRecord record, DateTimeOffset now, TimeSpan maxLifetime)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Role != ChannelRole.Server)
        {
            throw new ArgumentException("A server binding store keeps server-side bindings only (the client's go to its pin store).", nameof(record));
        }

        if (record.IsExpiredAt(now))
        {
            throw new ArgumentException($"Binding {record.Id} expired at {record.ExpiresAt:O}; it cannot be stored.", nameof(record));
        }

        if (record.ExpiresAt - now > maxLifetime)
        {
            throw new ArgumentException($"Binding {record.Id} lives longer than the store's maximum lifetime {maxLifetime}.", nameof(record));
        }
    }
}
