using System.Diagnostics.CodeAnalysis;

// CA2000 on IMeterFactory.Create: the factory owns the meters it creates and disposes them with itself (the ASP.NET
// Core pattern); the process-wide fallback meter lives as long as the process.
[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.", Scope = "member", Target = "~M:CbbToolkit.Channels.Bindings.BindingMetrics.#ctor(System.Diagnostics.Metrics.IMeterFactory)")]
[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.", Scope = "member", Target = "~M:CbbToolkit.Channels.Stores.StoreMetrics.#ctor(System.Diagnostics.Metrics.IMeterFactory)")]

// CA2000 on the server's first contact: the secret goes into the record (wiped if the record refuses it), and the
// record leaves in the returned tuple, which the analyzer cannot follow; the caller owns it.
[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The record owning the secret is returned in the tuple.", Scope = "member", Target = "~M:CbbToolkit.Channels.Bindings.BindingExchange.AcceptClientFirstContact(System.Net.Security.SslStream,CbbToolkit.Channels.ChannelInfo,CbbToolkit.Channels.Bindings.Messages.BindingMessage,CbbToolkit.Channels.Bindings.IpsecIdentity,CbbToolkit.Channels.Bindings.BoundPrincipal)~System.Nullable{System.ValueTuple{CbbToolkit.Channels.Bindings.Messages.BindingMessage,CbbToolkit.Channels.Bindings.ChannelBindingRecord}}")]
