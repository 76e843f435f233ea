using System.Text.RegularExpressions;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Authorization;

/// <summary>
/// Requires the request's connection to have a verified IPsec channel now - with a trusted IKE peer, or proven by a
/// channel binding when <see cref="AcceptChannelBinding"/> - that meets the conditions set here. Its own handler: needs no
/// registration. The resource must be the <see cref="HttpContext"/> (as the authorization middleware passes it).
/// </summary>
public sealed class IpsecChannelRequirement : AuthorizationHandler<IpsecChannelRequirement>, IAuthorizationRequirement
{
    private Regex? _peerId;
    private string? _peerIdPattern;

    /// <summary>Require ESP (confidentiality), not AH alone. Default true.</summary>
    public bool RequireEsp { get; set; } = true;

    /// <summary>Require SAs narrowed to this connection's 5-tuple (RFC 5660 quality of protection determinate). Default false.</summary>
    public bool RequireDeterminateQop { get; set; }

    /// <summary>
    /// A regular expression the peer's whole IKE identity must match (e.g. <c>.*\.example\.net</c>); null accepts any
    /// verified peer. A channel verified only by a binding has no IKE identity and never matches.
    /// </summary>
    public string? PeerIdPattern
    {
        get => _peerIdPattern;
        set
        {
            // Anchored: the whole identity must match, not a part of it.
            _peerId = value is null ? null
                : new Regex($"^(?:{value})$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(100));
            _peerIdPattern = value;
        }
    }

    /// <summary>Whether a channel IKE did not authenticate but a proven binding did counts as verified. Default true.</summary>
    public bool AcceptChannelBinding { get; set; } = true;

    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, IpsecChannelRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (requirement.Why(context.Resource as HttpContext) is { } failure)
        {
            context.Fail(new AuthorizationFailureReason(this, failure));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // Null when met, else why not.
    private string? Why(HttpContext? http)
    {
        if (http?.Features.Get<IIpsecChannelFeature>() is not { } channel)
        {
            return "The request has no IPsec channel information (no UseIpsecChannel on its endpoint).";
        }

        var trustedPeer = channel.IsVerified;
        if (!trustedPeer && !(AcceptChannelBinding && ChannelTrust.IsBoundNow(http, channel)))
        {
            return $"The connection's IPsec channel is not verified ({channel.Status}): {channel.Reason}";
        }

        if (RequireEsp && ChannelTrust.Protocol(channel) != XfrmProtocol.Esp)
        {
            return "The connection's IPsec channel is not ESP.";
        }

        if (RequireDeterminateQop && ChannelTrust.IsQopIndeterminate(channel))
        {
            return "The connection's SAs may carry other flows (quality of protection indeterminate).";
        }

        if (_peerId is not null && (!trustedPeer || channel.Peer?.RemoteId is not { Length: > 0 } id || !_peerId.IsMatch(id)))
        {
            return $"The IPsec peer's IKE identity does not match {PeerIdPattern}.";
        }

        return null;
    }
}
