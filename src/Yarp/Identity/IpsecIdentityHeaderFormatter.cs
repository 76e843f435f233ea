using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CbbToolkit.Channels;
using CbbToolkit.Kestrel;
using CbbToolkit.Yarp.Headers;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Yarp.Identity;

/// <summary>
/// Writes the <c>CBB-Identity</c> value of a request from what the proxy verified on the client's connection
/// (docs/yarp.md "The CBB-Identity header"). Nothing here comes from a request header.
/// </summary>
internal static class IpsecIdentityHeaderFormatter
{
    /// <summary>The header value, or null when the connection carries nothing verified (the backend then gets no identity).</summary>
    public static string? Format(HttpContext context, IReadOnlyList<string>? via = null)
    {
        var channel = context.Features.Get<IIpsecChannelFeature>();
        var binding = context.Features.Get<IChannelBindingFeature>();
        var bound = binding is { State: ChannelBindingState.Created or ChannelBindingState.Used, Principal: not null };
        var verified = channel?.IsVerified == true;
        if (!verified && !bound)
        {
            return null;
        }

        var writer = new StructuredDictionaryWriter();
        if (verified && channel!.Peer is { } peer)
        {
            writer.String(IpsecIdentityKeys.IkeId, peer.RemoteId);
            writer.Token(IpsecIdentityKeys.IkeAuth, Kebab(peer.AuthenticationMethod.ToString()));
            if (peer.PublicKey is { } key)
            {
                writer.Bytes(IpsecIdentityKeys.PeerSpkiSha256, SHA256.HashData(key.Span));
            }
        }

        if (bound)
        {
            writer.Token(IpsecIdentityKeys.Binding, binding!.State == ChannelBindingState.Created ? "created" : "used");
            if (binding.Principal!.Name is { } name)
            {
                writer.String(IpsecIdentityKeys.Principal, name);
            }

            if (binding.Principal.AuthenticationType is { Length: > 0 } scheme)
            {
                writer.String(IpsecIdentityKeys.PrincipalAuth, scheme);
            }
        }

        if (channel?.ChannelInfo is { } info)
        {
            WriteChannel(writer, info);
        }

        if (channel?.LatchState is { } latch)
        {
            writer.Token(IpsecIdentityKeys.Latch, latch.ToString().ToLowerInvariant());
        }

        writer.Boolean(IpsecIdentityKeys.Tls, context.Request.IsHttps);
        if (via is { Count: > 0 })
        {
            writer.StringList(IpsecIdentityKeys.Via, via);
        }

        return writer.ToString();
    }

    private static void WriteChannel(StructuredDictionaryWriter writer, ChannelInfo info)
    {
        if (info.TryGet(ChannelAttributeType.IpsecProtocol, out var protocol) && protocol.Length == 1)
        {
            writer.Integer(IpsecIdentityKeys.IpsecProtocol, protocol.Span[0]);
        }

        if (info.TryGet(ChannelAttributeType.IpsecMode, out var mode) && mode.Length == 1)
        {
            writer.Token(IpsecIdentityKeys.IpsecMode, mode.Span[0] == 1 ? "tunnel" : "transport");
        }

        if (info.TryGet(ChannelAttributeType.IpsecInboundSpi, out var spiIn) && spiIn.Length == 4)
        {
            writer.Integer(IpsecIdentityKeys.SpiIn, BinaryPrimitives.ReadUInt32BigEndian(spiIn.Span));
        }

        if (info.TryGet(ChannelAttributeType.IpsecOutboundSpi, out var spiOut) && spiOut.Length == 4)
        {
            writer.Integer(IpsecIdentityKeys.SpiOut, BinaryPrimitives.ReadUInt32BigEndian(spiOut.Span));
        }

        if (info.TryGet(ChannelAttributeType.IpsecAlgorithms, out var algorithms))
        {
            writer.String(IpsecIdentityKeys.IpsecAlgorithms, Encoding.UTF8.GetString(algorithms.Span));
        }

        if (info.TryGet(ChannelAttributeType.IpsecEndPointSha256, out var endPoint))
        {
            writer.Bytes(IpsecIdentityKeys.EndPointSha256, endPoint.Span);
        }
    }

    /// <summary>PkixTrusted -> pkix-trusted: the RFC 8941 token of an authentication method.</summary>
    private static string Kebab(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
