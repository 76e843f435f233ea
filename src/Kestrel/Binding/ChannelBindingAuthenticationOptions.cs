using Microsoft.AspNetCore.Authentication;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>
/// Options of the channel-binding scheme (<c>AddChannelBinding</c>): a connection that proves a binding
/// (docs/binding-protocol.md 9.3) is authenticated as the principal bound at first contact. The binding store is the
/// registered <see cref="CbbToolkit.Channels.Stores.IChannelBindingStore"/> (in memory unless the application registers
/// another), the protocol options <see cref="CbbToolkit.Channels.Bindings.BindingExchangeOptions"/>.
/// </summary>
public sealed class ChannelBindingAuthenticationOptions : AuthenticationSchemeOptions
{
}
