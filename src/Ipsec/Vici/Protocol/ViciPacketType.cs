namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>The first byte of every VICI packet (README "Packet layer").</summary>
internal enum ViciPacketType : byte
{
    /// <summary>A named request message.</summary>
    CmdRequest = 0,
    /// <summary>An unnamed response message for a request.</summary>
    CmdResponse = 1,
    /// <summary>An unnamed response: the command is unknown.</summary>
    CmdUnknown = 2,
    /// <summary>A named event registration request.</summary>
    EventRegister = 3,
    /// <summary>A named event deregistration request.</summary>
    EventUnregister = 4,
    /// <summary>An unnamed confirmation of an event (de-)registration.</summary>
    EventConfirm = 5,
    /// <summary>An unnamed response: the event (de-)registration failed.</summary>
    EventUnknown = 6,
    /// <summary>A named event message.</summary>
    Event = 7,
}
