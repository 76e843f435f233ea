using CbbToolkit.Channels.Bindings;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>
/// What the binding exchange did on one connection, kept in the connection's items (never keyed by address): the
/// challenge outstanding on it and the binding created or proven on it. The <see cref="IChannelBindingFeature"/> of every
/// request on the connection.
/// </summary>
internal sealed class ChannelBindingConnectionState : IChannelBindingFeature
{
    private readonly Lock _lock = new();
    private ResumeChallenge? _challenge;

    public ChannelBindingState State { get; private set; }

    public BindingId? BindingId { get; private set; }

    public BoundPrincipal? Principal { get; private set; }

    public BindingFailureReason? FailureReason { get; private set; }

    /// <summary>The connection's state, created on first use; null where the server keeps no connection items (not Kestrel).</summary>
    public static ChannelBindingConnectionState? Of(HttpContext context)
    {
        if (context.Features.Get<IChannelBindingFeature>() is ChannelBindingConnectionState known)
        {
            return known;
        }

        if (context.Features.Get<IConnectionItemsFeature>()?.Items is not { } items)
        {
            return null;
        }

        ChannelBindingConnectionState state;
        lock (items)
        {
            if (items.TryGetValue(typeof(ChannelBindingConnectionState), out var value) && value is ChannelBindingConnectionState existing)
            {
                state = existing;
            }
            else
            {
                state = new ChannelBindingConnectionState();
                items[typeof(ChannelBindingConnectionState)] = state;
            }
        }

        context.Features.Set<IChannelBindingFeature>(state);
        return state;
    }

    /// <summary>The connection's state when one exists, without creating it.</summary>
    public static ChannelBindingConnectionState? Find(HttpContext context) =>
        context.Features.Get<IChannelBindingFeature>() as ChannelBindingConnectionState
        ?? (context.Features.Get<IConnectionItemsFeature>()?.Items is { } items && items.TryGetValue(typeof(ChannelBindingConnectionState), out var v)
            ? v as ChannelBindingConnectionState
            : null);

    /// <summary>Replaces the connection's outstanding challenge (the old one can no longer be answered).</summary>
    public void Issue(ResumeChallenge challenge)
    {
        lock (_lock)
        {
            _challenge = challenge;
        }
    }

    /// <summary>Takes the outstanding challenge: an answer uses it up whatever its outcome.</summary>
    public ResumeChallenge? TakeChallenge()
    {
        lock (_lock)
        {
            var challenge = _challenge;
            _challenge = null;
            return challenge;
        }
    }

    public void Created(BindingId id, BoundPrincipal? principal) => Set(ChannelBindingState.Created, id, principal, null);

    public void Used(BindingId id, BoundPrincipal principal) => Set(ChannelBindingState.Used, id, principal, null);

    // A refusal on a connection already bound does not unbind it: the proven binding still holds for its channel.
    public void Refused(BindingFailureReason reason)
    {
        lock (_lock)
        {
            if (State != ChannelBindingState.Used)
            {
                State = ChannelBindingState.Refused;
                FailureReason = reason;
            }
        }
    }

    private void Set(ChannelBindingState state, BindingId id, BoundPrincipal? principal, BindingFailureReason? reason)
    {
        lock (_lock)
        {
            State = state;
            BindingId = id;
            Principal = principal;
            FailureReason = reason;
        }
    }
}
