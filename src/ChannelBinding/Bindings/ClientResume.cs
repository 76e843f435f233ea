using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Bindings.Proofs;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// A client's later-connection proof in progress: send <see cref="Request"/>, then pass the server's answer to
/// <see cref="BindingExchange.CompleteClientResume"/>. Uses the record's proof keys (the record owns and zeroes them).
/// </summary>
public sealed class ClientResume : IDisposable
{
    internal ClientResume(ResumeKeys keys, BindingMessage request, ChannelBindingRecord record, byte[] saBinding, byte[] flow)
    {
        Keys = keys;
        Request = request;
        Record = record;
        SaBinding = saBinding;
        Flow = flow;
    }

    /// <summary>The message to send to the server.</summary>
    public BindingMessage Request { get; }

    internal ResumeKeys Keys { get; }

    internal ChannelBindingRecord Record { get; }

    internal byte[] SaBinding { get; }

    internal byte[] Flow { get; }

    internal bool Completed { get; set; }

    /// <summary>Ends the exchange: a later <see cref="BindingExchange.CompleteClientResume"/> on it is refused. The keys
    /// stay with the record, which may serve other connections.</summary>
    public void Dispose() => Completed = true;
}
