using CbbToolkit.Ipsec.Vici.Parsing;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>An event from the daemon (ike-updown, child-updown, list-sa, ...), or a subscription's own "subscribed" marker.</summary>
public sealed class ViciEvent
{
    /// <summary>The <see cref="Name"/> of the marker a subscription yields each time its registrations are in place.</summary>
    public const string SubscribedName = "subscribed";

    internal ViciEvent(string name, ViciMessage message, bool isSubscribed = false)
    {
        Name = name;
        Message = message;
        IsSubscribed = isSubscribed;
    }

    /// <summary>The event name as the daemon sent it.</summary>
    public string Name { get; }

    /// <summary>The event's message.</summary>
    public ViciMessage Message { get; }

    /// <summary>
    /// True for the subscription's marker (not a daemon event), yielded once the daemon confirmed every registration:
    /// first when the subscription starts, then after each reconnection. Events raised before it (or while the daemon
    /// was away) were not seen, so state built from events should be (re-)read now, e.g. with list-sas.
    /// </summary>
    public bool IsSubscribed { get; }

    /// <summary>The "up" flag of ike-updown and child-updown: true when the SA came up, false when it went down (charon omits it then).</summary>
    public bool IsUp => Message.GetBoolean("up");

    /// <summary>The IKE SAs the event carries (list-sa, ike-updown, child-updown: one section per IKE SA).</summary>
    /// <exception cref="ViciProtocolException">A section is not a well-formed IKE SA.</exception>
    public IReadOnlyList<IkeSa> GetIkeSas() => IkeSaParser.ParseAll(Message);

    /// <summary>The replaced and new IKE SAs of an ike-rekey event.</summary>
    /// <exception cref="ViciProtocolException">The event is not a well-formed ike-rekey.</exception>
    public IReadOnlyList<IkeSaRekey> GetIkeRekeys() => IkeSaParser.ParseIkeRekeys(Message);

    /// <summary>The replaced and new child SAs of a child-rekey event.</summary>
    /// <exception cref="ViciProtocolException">The event is not a well-formed child-rekey.</exception>
    public IReadOnlyList<ChildSaRekey> GetChildRekeys() => IkeSaParser.ParseChildRekeys(Message);

    /// <inheritdoc/>
    public override string ToString() => IsSubscribed ? "(subscribed)" : $"{Name} {Message}";
}
