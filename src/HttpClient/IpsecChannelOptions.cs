using System.Net.Security;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Http;

/// <summary>Options of the IPsec channel handler (<c>AddIpsecChannel</c>, <see cref="IpsecChannelHandlerFactory"/>).</summary>
public sealed class IpsecChannelOptions
{
    /// <summary>What the channel under each connection must be. Default: <see cref="IpsecChannelRequirement.AllowClear"/>.</summary>
    public IpsecChannelRequirement Requirement { get; set; } = IpsecChannelRequirement.AllowClear;

    /// <summary>
    /// The per-socket IPsec policy applied before connect, or <see langword="null"/> to leave the system's policies in
    /// charge. With a policy that requires SAs, connect retries while key management negotiates them.
    /// </summary>
    public IpsecPolicy? Policy { get; set; }

    /// <summary>How long connect keeps retrying while key management sets up SAs for <see cref="Policy"/>. Default 10 s.</summary>
    public TimeSpan KeyManagementTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The TLS settings for https: certificate validation, client certificates, protocols, revocation. The handler
    /// runs the handshake itself (so it can describe and later drop TLS); <c>TargetHost</c> defaults to the request's
    /// host and <c>ApplicationProtocols</c> is chosen per connection (h2 or http/1.1) from the request's version.
    /// </summary>
    public SslClientAuthenticationOptions Tls { get; set; } = new();

    /// <summary>Where key management is asked who the peer is (e.g. <see cref="ViciPeerSource"/>); null: kernel only, never verified.</summary>
    public IIpsecPeerSource? PeerSource { get; set; }

    /// <summary>The latch database that watches each protected connection's SAs; null: connections are not latched.</summary>
    public IpsecLatchDatabase? Latches { get; set; }

    /// <summary>
    /// The client pin store (issue 5, e.g. <see cref="CbbToolkit.Channels.Stores.SqlitePinStore"/>). When set, every TLS
    /// connection to a pinned authority must present the pinned server key and IPsec identity: a change fails the
    /// handshake with a <see cref="CbbToolkit.Channels.Stores.PinMismatchException"/> naming the old and new values.
    /// Remove the pin (<c>RemoveAsync</c>, <c>cbb pins remove</c>) to accept a new identity. Null: no pin checks.
    /// </summary>
    public CbbToolkit.Channels.Stores.IPinStore? Pins { get; set; }

    /// <summary>
    /// Whether first contact with an unpinned server may pin it (leap of faith, like OpenSSH's first connection): the
    /// binding made over TLS is stored as the server's pin, with its TLS key and IPsec identity. False (default): an
    /// unpinned server is served over TLS as usual and nothing is bound or pinned. Needs <see cref="Pins"/>.
    /// </summary>
    public bool AllowLeapOfFaith { get; set; }

    /// <summary>
    /// Whether the handler runs the binding exchange (docs/binding-protocol.md, docs/httpclient.md "Binding"): on first
    /// contact over TLS, on a request carrying the app's credentials, it binds the TLS session to the IPsec channel and
    /// keeps the binding with the server's pin; when the server advertised a plaintext endpoint, later GET/HEAD/OPTIONS
    /// requests to it go there over connections that prove the binding, without the Authorization header and without TLS
    /// (so without a client certificate). Any failure falls back to TLS with the credentials on a new connection, logged
    /// and counted. Needs <see cref="Pins"/> and
    /// <see cref="Latches"/> (a binding is made and proven only over a latched channel). Default false.
    /// </summary>
    public bool UseBinding { get; set; }

    /// <summary>
    /// The network namespace whose kernel holds the connections' SAs (where <see cref="SocketFactory"/> makes its
    /// sockets), for reading the SA keys of ipsec-sa-binding when <see cref="UseBinding"/> is on; null: this process's own.
    /// Reading SA keys needs CAP_NET_ADMIN there.
    /// </summary>
    public string? NetworkNamespace { get; set; }

    /// <summary>Makes the socket for a connection (e.g. inside another network namespace); null: a plain TCP socket.</summary>
    public Func<AddressFamily, Socket>? SocketFactory { get; set; }

    // Test seam for upper-layer tests on loopback, where no kernel holds an SA pair: the IPsec channel information the
    // binding exchange sees for a connection (ipsec-sa-binding, latch state). Null in production: read from the kernel.
    internal Func<IpsecConnectionInfo, CbbToolkit.Channels.ChannelInfo?>? BindingChannelSource { get; set; }

    /// <summary>The clock for ChannelInfo creation times. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
