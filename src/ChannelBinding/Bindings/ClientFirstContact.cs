using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Bindings.Proofs;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// A client's first-contact exchange in progress: send <see cref="Request"/>, then pass the server's answer to
/// <see cref="BindingExchange.CompleteClientFirstContact"/>. Holds the session's proof keys; Dispose zeroes them.
/// </summary>
public sealed class ClientFirstContact : IDisposable
{
    internal ClientFirstContact(FirstContactKeys keys, IpsecBindingInputs values, BindingMessage request, ChannelInfo channel, byte[] serverSpkiSha256)
    {
        Keys = keys;
        Values = values;
        Request = request;
        Channel = channel;
        ServerSpkiSha256 = serverSpkiSha256;
    }

    /// <summary>The message to send to the server.</summary>
    public BindingMessage Request { get; }

    internal FirstContactKeys Keys { get; }

    internal IpsecBindingInputs Values { get; }

    internal ChannelInfo Channel { get; }

    internal byte[] ServerSpkiSha256 { get; }

    internal bool Completed { get; set; }

    /// <summary>Zeroes the keys.</summary>
    public void Dispose() => Keys.Dispose();
}
