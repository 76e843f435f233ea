namespace CbbToolkit.Channels.Bindings.Messages;

/// <summary>Reads and writes binding messages on a byte stream: the 4-octet header says how long each one is.</summary>
internal static class BindingFraming
{
    public static async Task WriteAsync(Stream stream, BindingMessage message, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(BindingMessageCodec.Encode(message), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="ChannelBindingException">Malformed (also for a stream that ends mid-message), Oversized, UnsupportedVersion, UnknownField.</exception>
    public static async Task<BindingMessage> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[BindingMessageCodec.MaxMessageLength];
        await ReadExactlyAsync(stream, buffer.AsMemory(0, BindingMessageCodec.HeaderLength), cancellationToken).ConfigureAwait(false);
        var body = BindingMessageCodec.ReadBodyLength(buffer);
        await ReadExactlyAsync(stream, buffer.AsMemory(BindingMessageCodec.HeaderLength, body), cancellationToken).ConfigureAwait(false);
        return BindingMessageCodec.Decode(buffer.AsSpan(0, BindingMessageCodec.HeaderLength + body));
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new ChannelBindingException(BindingFailureReason.Malformed, "The stream ended inside a binding message.", innerException: e);
        }
    }
}
