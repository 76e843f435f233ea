using CbbToolkit.Ipsec.Vici.Parsing;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>An event from the daemon (ike-updown, child-updown, list-sa, ...), or the client's own reconnect marker.</summary>
public sealed class ViciEvent
{
    /// <summary>The <see cref="Name"/> of the marker a subscription yields after it re-established a lost connection.</summary>
    public const string ReconnectedName = "reconnected";

    internal ViciEvent(string name, ViciMessage message, bool isReconnected = false)
    {
        Name = name;
        Message = message;
        IsReconnected = isReconnected;
    }

    /// <summary>The event name as the daemon sent it.</summary>
    public string Name { get; }

    /// <summary>The event's message.</summary>
    public ViciMessage Message { get; }

    /// <summary>
    /// True for the client's marker (not a daemon event): the connection was lost and is back, registrations are renewed,
    /// and events raised in between are lost - state built from events must be re-read (list-sas).
    /// </summary>
    public bool IsReconnected { get; }

    /// <summary>The "up" flag of ike-updown and child-updown: true when the SA came up, false when it went down.</summary>
    public bool Up => Message.GetBoolean("up");

    /// <summary>The IKE SAs the event carries (list-sa, ike-updown, child-updown: one section per IKE SA).</summary>
    /// <exception cref="ViciProtocolException">A section is not a well-formed IKE SA.</exception>
    public IReadOnlyList<IkeSa> GetIkeSas() => IkeSaParser.ParseAll(Message);

    /// <inheritdoc/>
    public override string ToString() => IsReconnected ? "(reconnected)" : $"{Name} {Message}";
}
