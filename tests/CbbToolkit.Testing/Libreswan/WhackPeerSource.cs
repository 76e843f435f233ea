using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// A peer source over libreswan's pluto, for the lab: pluto has no VICI (its control socket speaks whack's own binary
/// protocol), so this reads the documented text of <c>whack --status</c> and finds the child SA by both SPIs, then its
/// connection's authentication and identities. Under RFC 7619 NULL authentication (<c>their auth:null</c>, idtype
/// ID_NULL) the peer is reported as <see cref="IpsecAuthenticationMethod.Null"/> with no IKE identity (an empty
/// <see cref="IpsecPeer.RemoteId"/>) and no key: pluto's placeholder text "ID_NULL" is never passed on as if it named
/// someone. Test code: one whack process per lookup.
/// </summary>
public sealed class WhackPeerSource(string controlSocket) : IIpsecPeerSource
{
    /// <summary>The last status text read, for failure messages.</summary>
    public string? LastStatus { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = await Task.Run(() => LibreswanLab.TryWhack(controlSocket, ["--status"]), cancellationToken);
        if (!result.Succeeded)
        {
            throw new IpsecException(IpsecError.ConnectionRefused, $"whack --status on {controlSocket} exited {result.ExitCode}: {result.Stderr.Trim()}");
        }

        LastStatus = result.Stdout;
        var status = WhackStatus.Parse(result.Stdout);
        var child = status.ChildSas.FirstOrDefault(c => c.OutboundSpi == query.OutboundSpi && c.InboundSpi == query.InboundSpi);
        if (child is null)
        {
            return null;
        }

        var connection = status.Connection(child.Connection)
            ?? throw new IpsecException(IpsecError.InvalidArgument, $"pluto lists child SA #{child.Serial} of connection \"{child.Connection}\" but not the connection.");
        return new IpsecPeer
        {
            RemoteId = Identity(connection.TheirIdType, connection.TheirId),
            LocalId = Identity(connection.OurIdType, connection.OurId) is { Length: > 0 } local ? local : null,
            AuthenticationMethod = Method(connection.TheirAuth),
            LocalAuthenticationMethod = Method(connection.OurAuth),
            RemoteHost = child.RemoteAddress,
            IkeSaUniqueId = child.IkeSerial is { } ike ? (uint)ike : null,
            ChildSaUniqueId = (uint)child.Serial,
            Source = "libreswan whack " + controlSocket,
        };
    }

    // ID_NULL (RFC 7619) carries no identity: empty, not the placeholder pluto prints.
    private static string Identity(string? type, string? id) => type == "ID_NULL" || id is null ? string.Empty : id;

    // Only what the lab configures is mapped; anything else is None (no claim), never a guess.
    private static IpsecAuthenticationMethod Method(string? auth) => auth switch
    {
        "null" => IpsecAuthenticationMethod.Null,
        "secret" => IpsecAuthenticationMethod.PresharedKey,
        "eaponly" => IpsecAuthenticationMethod.Eap,
        _ => IpsecAuthenticationMethod.None,
    };
}
