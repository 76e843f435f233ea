namespace CbbToolkit.Channels.Bindings.Messages;

/// <summary>The message types of binding protocol v1 (one octet on the wire; docs/binding-protocol.md).</summary>
public enum BindingMessageType : byte
{
    /// <summary>First contact, client to server, inside TLS: the client's proof of its IPsec binding values.</summary>
    ClientFirstContact = 1,
    /// <summary>First contact, server to client: the server's proof, the new binding's id and lifetime.</summary>
    ServerFirstContact = 2,
    /// <summary>Either direction: a refusal with its reason.</summary>
    Refusal = 3,
    /// <summary>Later connection, server to client: a fresh nonce to answer.</summary>
    Challenge = 4,
    /// <summary>Later connection, client to server: the proof of the binding secret over this connection.</summary>
    ClientResume = 5,
    /// <summary>Later connection, server to client: the server's proof that it holds the same secret.</summary>
    ServerResume = 6,
}
