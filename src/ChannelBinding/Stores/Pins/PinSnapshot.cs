namespace CbbToolkit.Channels.Stores;

/// <summary>An immutable view of the store's rows that lookups read without a lock; writers publish a new one.</summary>
internal sealed class PinSnapshot
{
    public static PinSnapshot Empty { get; } = new(new Dictionary<string, ServerPin>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));

    public PinSnapshot(Dictionary<string, ServerPin> pins, Dictionary<string, string> damaged)
    {
        Pins = pins;
        Damaged = damaged;
    }

    public Dictionary<string, ServerPin> Pins { get; }

    public Dictionary<string, string> Damaged { get; }

    public PinSnapshot With(ServerPin pin)
    {
        var pins = new Dictionary<string, ServerPin>(Pins, StringComparer.Ordinal) { [pin.Authority] = pin };
        var damaged = new Dictionary<string, string>(Damaged, StringComparer.Ordinal);
        damaged.Remove(pin.Authority);
        return new PinSnapshot(pins, damaged);
    }

    public PinSnapshot Without(string authority)
    {
        var pins = new Dictionary<string, ServerPin>(Pins, StringComparer.Ordinal);
        pins.Remove(authority);
        var damaged = new Dictionary<string, string>(Damaged, StringComparer.Ordinal);
        damaged.Remove(authority);
        return new PinSnapshot(pins, damaged);
    }
}
