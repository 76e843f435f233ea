using System.Collections.Concurrent;
using System.Net;

namespace CbbToolkit.Http.Exchange;

// What each bound server said at first contact about its plaintext endpoint (CBB-Plaintext), kept in memory until the
// advertisement's max age or the binding's expiry: where later requests go, or that they stay on TLS. A process that
// starts again binds again (first contact), which also brings the advertisement again.
internal sealed class ServerAdverts(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ServerAdvert> _adverts = new(StringComparer.Ordinal);

    public ServerAdvert? Find(string authority)
    {
        if (!_adverts.TryGetValue(authority, out var advert))
        {
            return null;
        }

        if (time.GetUtcNow() < advert.Until)
        {
            return advert;
        }

        _adverts.TryRemove(KeyValuePair.Create(authority, advert));
        return null;
    }

    public void Set(string authority, ServerAdvert advert) => _adverts[authority] = advert;

    public void Forget(string authority) => _adverts.TryRemove(authority, out _);
}

/// <summary>A server's plaintext endpoint (same IP address as its TLS endpoint), or null when it advertised none.</summary>
internal sealed record ServerAdvert(IPEndPoint? Plaintext, DateTimeOffset Until);
