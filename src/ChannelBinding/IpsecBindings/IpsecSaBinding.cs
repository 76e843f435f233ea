using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>
/// ipsec-sa-binding version 1 (docs/channel-bindings.md): SHA-256 over a labelled transcript of the channel's two SAs -
/// protocol, mode, outer addresses, SPI, algorithm names, key lengths and the keys themselves, read from the kernel
/// with XFRM_MSG_GETSA (both requests in one sendmsg) for each call - in an order both ends agree on, so the two ends of one SA pair get the same 32
/// octets and nobody without the keys can. Keys live only in the netlink buffer (zeroed after) and the hash state.
/// </summary>
public static class IpsecSaBinding
{
    /// <summary>Computes the value for <paramref name="channel"/> from the kernel <paramref name="kernel"/> talks to.</summary>
    /// <param name="kernel">An XFRM client in the channel's network namespace (needs CAP_NET_ADMIN there).</param>
    /// <param name="channel">The resolved channel: its <see cref="IpsecChannel.Outbound"/> and <see cref="IpsecChannel.Inbound"/> SAs.</param>
    /// <param name="cancellationToken">Cancels the kernel requests.</param>
    /// <returns>The value, or why there is none (never an exception for what the kernel answers).</returns>
    public static async Task<IpsecBindingResult> ComputeAsync(XfrmClient kernel, IpsecChannel channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(channel);
        var (outbound, inbound) = (channel.Outbound, channel.Inbound);
        if (outbound.Protocol is not (XfrmProtocol.Esp or XfrmProtocol.Ah) || inbound.Protocol != outbound.Protocol)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.Unsupported,
                $"ipsec-sa-binding is defined for an ESP or AH SA pair, not {outbound.Protocol}/{inbound.Protocol}.");
        }

        var encapsulated = outbound.Encapsulation is not null || inbound.Encapsulation is not null;
        var order = SaBindingTranscript.Compare(outbound.Source.GetAddressBytes(), outbound.Spi, inbound.Source.GetAddressBytes(), inbound.Spi, encapsulated);
        if (order == 0)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.Unsupported, encapsulated
                ? "The NAT-traversal SA pair has one SPI in both directions: its SAs cannot be put in an order both ends agree on."
                : "The channel's outbound and inbound SA are the same SA.");
        }

        var (first, second) = order < 0 ? (outbound, inbound) : (inbound, outbound);
        using var transcript = new SaBindingTranscript();
        IpsecBindingResult? changed = null;
        try
        {
            // Both GETSAs in one sendmsg: the pair costs one trip into the kernel. The callback sees the first SA, then
            // the second only when the first was read; a first SA that is not the resolved one stops the transcript.
            await kernel.ReadStatePairKeysAsync(Id(first), Id(second), (index, keys) =>
            {
                if (changed is null)
                {
                    changed = Check(transcript, index == 0 ? first : second, keys);
                }
            }, cancellationToken).ConfigureAwait(false);
            if (changed is not null)
            {
                return changed;
            }
        }
        catch (NetlinkException) when (changed is not null)
        {
            // As when the SAs were read one after the other: a changed first SA is the answer, whatever the second's fate.
            return changed;
        }
        catch (NetlinkException e)
        {
            return e.Error switch
            {
                IpsecError.PermissionDenied => IpsecBindingResult.Absent(IpsecBindingAbsence.NoPrivilege,
                    "Reading SA keys needs CAP_NET_ADMIN in the SA's network namespace: " + e.Message),
                IpsecError.NoSuchEntry => IpsecBindingResult.Absent(IpsecBindingAbsence.NoSuchSa,
                    "The kernel has no such SA (any more): " + e.Message),
                _ => IpsecBindingResult.Absent(IpsecBindingAbsence.KernelError, e.Message),
            };
        }
        catch (IpsecException e)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.KernelError, e.Message);
        }

        if (!transcript.HasKeyMaterial)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.KeysUnreadable,
                "The kernel returned the SAs without key material (no keyed algorithm, or zeroed keys as under kernel lockdown).");
        }

        Span<byte> value = stackalloc byte[32];
        transcript.Finish(value);
        return IpsecBindingResult.Of(value);
    }

    private static (System.Net.IPAddress Destination, uint Spi, XfrmProtocol Protocol) Id(IpsecSaInfo sa) => (sa.Destination, sa.Spi, sa.Protocol);

    // Null when the SA went into the transcript; the absence when the kernel's SA is not the resolved one.
    private static IpsecBindingResult? Check(SaBindingTranscript transcript, IpsecSaInfo sa, XfrmSaKeyMaterial keys)
    {
        var same = keys.Spi == sa.Spi && keys.Protocol == sa.Protocol && keys.SourceAddress.SequenceEqual(sa.Source.GetAddressBytes())
            && keys.DestinationAddress.SequenceEqual(sa.Destination.GetAddressBytes()) && keys.IsEncapsulated == (sa.Encapsulation is not null);
        if (!same)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.Changed,
                $"The kernel's SA spi 0x{sa.Spi:x8} dst {sa.Destination} is not the one resolved (its source changed); resolve the channel again.");
        }

        transcript.Append(keys);
        return null;
    }
}
