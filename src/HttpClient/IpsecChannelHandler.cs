using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Exchange;

namespace CbbToolkit.Http;

/// <summary>
/// The IPsec channel handler as the app holds it: a DelegatingHandler over the normal path (a SocketsHttpHandler whose
/// ConnectCallback checks every connection, <see cref="IpsecChannelHandlerFactory.Configure"/>) that records what
/// carried each request (<see cref="IpsecExchangeInfo"/>) and, with <see cref="IpsecChannelOptions.UseBinding"/>, runs
/// the binding exchange and sends bound requests over connections of its own. Made by
/// <see cref="IpsecChannelHandlerFactory.Create"/> or, in DI, by <c>AddIpsecChannel</c>.
/// </summary>
public sealed class IpsecChannelHandler : DelegatingHandler
{
    private readonly ExchangeRouter _router;

    internal IpsecChannelHandler(ExchangeRouter router, HttpMessageHandler? inner)
    {
        _router = router;
        if (inner is not null)
        {
            InnerHandler = inner;
        }
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _router.SendAsync(request, base.SendAsync, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _router.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Accepts the new identity a <see cref="PinMismatchException"/> named: removes the pin when it still holds the old
    /// value the exception showed (never a pin changed since), so that the next first contact pins the server again
    /// (with <see cref="IpsecChannelOptions.AllowLeapOfFaith"/>). The same as <c>cbb pins remove HOST:PORT</c>, but
    /// only for the identity the operator saw.
    /// </summary>
    /// <param name="pins">The pin store the handler uses.</param>
    /// <param name="mismatch">The refusal the app got (the inner exception of its HttpRequestException).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when the pin was removed; false when there was none or it no longer holds the old value.</returns>
    public static async ValueTask<bool> AcceptNewIdentityAsync(IPinStore pins, PinMismatchException mismatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pins);
        ArgumentNullException.ThrowIfNull(mismatch);
        if (pins.Find(mismatch.Authority) is not { } pin || !PinHolds(pin, mismatch))
        {
            return false;
        }

        return await pins.RemoveAsync(mismatch.Authority, cancellationToken).ConfigureAwait(false);
    }

    private static bool PinHolds(ServerPin pin, PinMismatchException mismatch) => mismatch.Identity switch
    {
        PinnedIdentity.TlsSpki => string.Equals(pin.SpkiFingerprint, mismatch.OldValue, StringComparison.OrdinalIgnoreCase),
        _ => string.Equals(PinFingerprints.Ipsec(pin.ServerIpsecIdentity), mismatch.OldValue, StringComparison.Ordinal),
    };
}
