namespace CbbToolkit.Channels;

/// <summary>Which end of the channel computed a <see cref="ChannelInfo"/>.</summary>
public enum ChannelRole : byte
{
    /// <summary>The end that opened the connection.</summary>
    Client = 1,
    /// <summary>The end that accepted it.</summary>
    Server = 2,
}
