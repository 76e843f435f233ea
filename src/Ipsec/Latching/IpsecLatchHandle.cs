namespace CbbToolkit.Ipsec.Latching;

/// <summary>An opaque reference to a latch in an <see cref="IpsecLatchDatabase"/> (RFC 5660 section 2.3's latch handle).</summary>
public sealed class IpsecLatchHandle
{
    internal IpsecLatchHandle(long id) => Id = id;

    /// <summary>A number unique within its database, for logs.</summary>
    public long Id { get; }

    /// <summary>"latch #N".</summary>
    public override string ToString() => $"latch #{Id}";
}
