using System.Diagnostics.CodeAnalysis;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>The resolver's answer for a flow: the <see cref="IpsecChannel"/> that protects it, or why there is none.</summary>
public sealed class IpsecChannelResolution
{
    private IpsecChannelResolution(IpsecFlow flow, IpsecChannel? channel, IpsecNotProtectedReason reason, string message)
    {
        Flow = flow;
        Channel = channel;
        Reason = reason;
        Message = message;
    }

    /// <summary>The flow asked about.</summary>
    public IpsecFlow Flow { get; }

    /// <summary>The protecting channel, or null.</summary>
    public IpsecChannel? Channel { get; }

    /// <summary>True when an SA pair protects the flow in both directions.</summary>
    [MemberNotNullWhen(true, nameof(Channel))]
    public bool IsProtected => Channel is not null;

    /// <summary>Why the flow is not protected; <see cref="IpsecNotProtectedReason.None"/> when it is.</summary>
    public IpsecNotProtectedReason Reason { get; }

    /// <summary>What was found, in words (names the policy, template or SAs involved).</summary>
    public string Message { get; }

    /// <summary>The draft API's error value for this outcome (<see cref="IpsecError.None"/> when protected).</summary>
    public IpsecError Error => Reason switch
    {
        IpsecNotProtectedReason.None => IpsecError.None,
        IpsecNotProtectedReason.Blocked => IpsecError.BlockedByPolicy,
        IpsecNotProtectedReason.PolicyWithoutSa => IpsecError.TryAgain,
        IpsecNotProtectedReason.NoPrivilege => IpsecError.PermissionDenied,
        IpsecNotProtectedReason.BackendError => IpsecError.ProtocolOptionUnavailable,
        IpsecNotProtectedReason.KeyManagerUnreachable => IpsecError.ConnectionRefused,
        _ => IpsecError.NotFound,
    };

    /// <summary>The channel, or an <see cref="IpsecException"/> carrying <see cref="Error"/> and <see cref="Message"/>.</summary>
    public IpsecChannel GetChannelOrThrow() => Channel ?? throw new IpsecException(Error, $"{Flow} is not protected by IPsec ({Reason}): {Message}");

    /// <summary>"protected: ..." or "not protected (Reason): message".</summary>
    public override string ToString() => IsProtected ? $"{Flow} protected: {Channel}" : $"{Flow} not protected ({Reason}): {Message}";

    internal static IpsecChannelResolution Protected(IpsecChannel channel, string message = "protected") =>
        new(channel.Flow, channel, IpsecNotProtectedReason.None, message);

    internal static IpsecChannelResolution NotProtected(IpsecFlow flow, IpsecNotProtectedReason reason, string message) =>
        new(flow, null, reason, message);
}
