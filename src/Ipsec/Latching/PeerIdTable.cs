namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// RFC 5660 section 2.6: peer and local IDs are interned in one user-space table, so that latches hold a shared
/// reference rather than copies, and compare by reference. Reference-counted: an ID leaves with its last latch.
/// </summary>
internal sealed class PeerIdTable
{
    private readonly Dictionary<string, (string Value, int References)> _ids = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ids.Count;
            }
        }
    }

    /// <summary>The table's instance of <paramref name="id"/> (null stays null).</summary>
    public string? Intern(string? id)
    {
        if (id is null)
        {
            return null;
        }

        lock (_lock)
        {
            var entry = _ids.TryGetValue(id, out var e) ? (e.Value, e.References + 1) : (id, 1);
            _ids[id] = entry;
            return entry.Item1;
        }
    }

    public void Release(string? id)
    {
        if (id is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_ids.TryGetValue(id, out var e))
            {
                if (e.References <= 1)
                {
                    _ids.Remove(id);
                }
                else
                {
                    _ids[id] = (e.Value, e.References - 1);
                }
            }
        }
    }
}
